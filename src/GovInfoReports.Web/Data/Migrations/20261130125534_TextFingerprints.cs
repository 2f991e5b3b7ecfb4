using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovInfoReports.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class TextFingerprints : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "text_fingerprints",
                columns: table => new
                {
                    report_id = table.Column<int>(type: "integer", nullable: false),
                    part_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    agency_id = table.Column<int>(type: "integer", nullable: false),
                    length = table.Column<int>(type: "integer", nullable: false),
                    signature = table.Column<int[]>(type: "integer[]", nullable: false),
                    bands = table.Column<long[]>(type: "bigint[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_text_fingerprints", x => new { x.report_id, x.part_id });
                    table.CheckConstraint("ck_text_fingerprints_bands", "cardinality(bands) = 20");
                    table.CheckConstraint("ck_text_fingerprints_signature", "cardinality(signature) = 120");
                    table.ForeignKey(
                        name: "fk_text_fingerprints_reports_report_id",
                        column: x => x.report_id,
                        principalTable: "reports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_text_fingerprints_bands",
                table: "text_fingerprints",
                column: "bands")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_text_fingerprints_year_agency_id",
                table: "text_fingerprints",
                columns: new[] { "year", "agency_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "text_fingerprints");
        }
    }
}
