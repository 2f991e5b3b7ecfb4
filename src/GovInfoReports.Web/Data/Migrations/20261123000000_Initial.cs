using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace GovInfoReports.Web.Data.Migrations;

// Hand-written: the EF design-time package does not restore here (README, "Migrations").
// SchemaDriftTests compares the schema these migrations build with the one the model expects.
[DbContext(typeof(AppDbContext))]
[Migration("20261123000000_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable(
            name: "regions",
            columns: t => new
            {
                id = t.Column<int>(type: "integer", nullable: false)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                code = t.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                name = t.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                level = t.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                parent_id = t.Column<int>(type: "integer", nullable: true),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_regions", x => x.id);
                t.ForeignKey("fk_regions_regions_parent_id", x => x.parent_id, "regions", "id", onDelete: ReferentialAction.Restrict);
            });
        m.CreateIndex("ix_regions_code", "regions", "code", unique: true);
        m.CreateIndex("ix_regions_parent_id", "regions", "parent_id");

        m.CreateTable(
            name: "agencies",
            columns: t => new
            {
                id = t.Column<int>(type: "integer", nullable: false)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                code = t.Column<string>(type: "character(18)", fixedLength: true, maxLength: 18, nullable: false),
                name = t.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                kind = t.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                region_id = t.Column<int>(type: "integer", nullable: false),
                parent_id = t.Column<int>(type: "integer", nullable: true),
                may_make_rules = t.Column<bool>(type: "boolean", nullable: false, defaultValue: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_agencies", x => x.id);
                t.ForeignKey("fk_agencies_agencies_parent_id", x => x.parent_id, "agencies", "id", onDelete: ReferentialAction.Restrict);
                t.ForeignKey("fk_agencies_regions_region_id", x => x.region_id, "regions", "id", onDelete: ReferentialAction.Restrict);
            });
        m.CreateIndex("ix_agencies_code", "agencies", "code", unique: true);
        m.CreateIndex("ix_agencies_parent_id", "agencies", "parent_id");
        m.CreateIndex("ix_agencies_region_id", "agencies", "region_id");

        m.CreateTable(
            name: "reports",
            columns: t => new
            {
                id = t.Column<int>(type: "integer", nullable: false)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                agency_id = t.Column<int>(type: "integer", nullable: false),
                year = t.Column<int>(type: "integer", nullable: false),
                template_code = t.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                status = t.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                title = t.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                compiling_office = t.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                units_covered = t.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                period_start = t.Column<DateOnly>(type: "date", nullable: false),
                period_end = t.Column<DateOnly>(type: "date", nullable: false),
                publication_place = t.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                contact = t.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                created_at = t.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                updated_at = t.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                submitted_at = t.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_reports", x => x.id);
                t.ForeignKey("fk_reports_agencies_agency_id", x => x.agency_id, "agencies", "id", onDelete: ReferentialAction.Restrict);
            });
        m.CreateIndex("ix_reports_agency_id_year", "reports", ["agency_id", "year"], unique: true);

        m.CreateTable(
            name: "report_cells",
            columns: t => new
            {
                report_id = t.Column<int>(type: "integer", nullable: false),
                cell_id = t.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                value = t.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_report_cells", x => new { x.report_id, x.cell_id });
                t.ForeignKey("fk_report_cells_reports_report_id", x => x.report_id, "reports", "id", onDelete: ReferentialAction.Cascade);
            });

        m.CreateTable(
            name: "report_texts",
            columns: t => new
            {
                report_id = t.Column<int>(type: "integer", nullable: false),
                part_id = t.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                text = t.Column<string>(type: "text", nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_report_texts", x => new { x.report_id, x.part_id });
                t.ForeignKey("fk_report_texts_reports_report_id", x => x.report_id, "reports", "id", onDelete: ReferentialAction.Cascade);
            });

        m.CreateTable(
            name: "warning_explanations",
            columns: t => new
            {
                report_id = t.Column<int>(type: "integer", nullable: false),
                rule_key = t.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                text = t.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_warning_explanations", x => new { x.report_id, x.rule_key });
                t.ForeignKey("fk_warning_explanations_reports_report_id", x => x.report_id, "reports", "id", onDelete: ReferentialAction.Cascade);
            });
    }

    protected override void Down(MigrationBuilder m)
    {
        m.DropTable("warning_explanations");
        m.DropTable("report_texts");
        m.DropTable("report_cells");
        m.DropTable("reports");
        m.DropTable("agencies");
        m.DropTable("regions");
    }
}
