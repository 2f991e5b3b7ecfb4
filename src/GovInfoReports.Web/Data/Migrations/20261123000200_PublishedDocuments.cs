using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace GovInfoReports.Web.Data.Migrations;

// The PDF of each published version, rendered once at publication, with its SHA-256.
[DbContext(typeof(AppDbContext))]
[Migration("20261123000200_PublishedDocuments")]
public sealed class PublishedDocuments : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.Sql("""
            ALTER TABLE report_snapshots
                ADD COLUMN pdf bytea,
                ADD COLUMN pdf_sha256 character varying(64);
            """);
    }

    protected override void Down(MigrationBuilder m) =>
        m.Sql("ALTER TABLE report_snapshots DROP COLUMN pdf, DROP COLUMN pdf_sha256;");
}
