using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovInfoReports.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReportMetadataComplexType : Migration
    {
        /// <summary>The report's and the snapshot's metadata became one complex type in the same columns, so the
        /// schema does not change. The public search's trigram index on report_snapshots.title stays: EF Core cannot
        /// declare an index on a complex type's column, so the model no longer names it (the generated DropIndex was
        /// removed by hand) and ReportSnapshotConfiguration.TitleSearchIndexSql keeps its definition.</summary>
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE INDEX IF NOT EXISTS ix_report_snapshots_title ON report_snapshots USING gin (title gin_trgm_ops);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}
