using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace GovInfoReports.Web.Data.Migrations;

// Trigram (pg_trgm, a trusted extension) indexes for the public search by agency name, title and text.
[DbContext(typeof(AppDbContext))]
[Migration("20261123000300_PublicSearch")]
public sealed class PublicSearch : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.Sql("""
            CREATE EXTENSION IF NOT EXISTS pg_trgm;
            CREATE INDEX ix_agencies_name ON agencies USING gin (name gin_trgm_ops);
            CREATE INDEX ix_report_snapshots_title ON report_snapshots USING gin (title gin_trgm_ops);
            CREATE INDEX ix_snapshot_texts_text ON snapshot_texts USING gin (text gin_trgm_ops);
            """);
    }

    protected override void Down(MigrationBuilder m) =>
        m.Sql("DROP INDEX ix_snapshot_texts_text; DROP INDEX ix_report_snapshots_title; DROP INDEX ix_agencies_name;");
}
