using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovInfoReports.Web.Data.Migrations
{
    /// <summary>
    /// Narrative parts become the agency's own outline (issue 8: 一、总体情况 as written): report_parts and
    /// snapshot_parts hold every part of a report or version, written or not, with its place in its section and
    /// the heading printed above it. Until now the document printed the 2021 template's headings above the part
    /// ids (s1.active …), whether or not a part had text. So every existing 2021 report and snapshot gets the
    /// outline it printed: it keeps its texts (report_texts and snapshot_texts are not touched) and prints exactly
    /// as before; s1.opening (the paragraph before （一）, new) has no heading and no text, so prints nothing. A
    /// published version's outline is then as immutable as its texts: the triggers of ImmutablePublications and
    /// PublishedVersionsRefuseInserts apply to snapshot_parts too.
    /// </summary>
    public partial class NarrativeOutline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "report_parts",
                columns: table => new
                {
                    report_id = table.Column<int>(type: "integer", nullable: false),
                    part_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    heading = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_report_parts", x => new { x.report_id, x.part_id });
                    table.ForeignKey(
                        name: "fk_report_parts_reports_report_id",
                        column: x => x.report_id,
                        principalTable: "reports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "snapshot_parts",
                columns: table => new
                {
                    snapshot_id = table.Column<long>(type: "bigint", nullable: false),
                    part_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    heading = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_snapshot_parts", x => new { x.snapshot_id, x.part_id });
                    table.ForeignKey(
                        name: "fk_snapshot_parts_report_snapshots_snapshot_id",
                        column: x => x.snapshot_id,
                        principalTable: "report_snapshots",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            // The 2021 outline as the document printed it before this release (2021.json as of issue 4), frozen here.
            const string outline = """
                (VALUES ('s1.opening', 0, NULL), ('s1.active', 1, '（一）主动公开'), ('s1.request', 2, '（二）依申请公开'),
                        ('s1.management', 3, '（三）政府信息管理'), ('s1.platform', 4, '（四）政府信息公开平台建设'),
                        ('s1.oversight', 5, '（五）监督保障'), ('s5.text', 0, NULL), ('s6.text', 0, NULL))
                    AS d(part_id, position, heading)
                """;
            migrationBuilder.Sql($"""
                INSERT INTO report_parts (report_id, part_id, position, heading)
                    SELECT r.id, d.part_id, d.position, d.heading FROM reports r CROSS JOIN {outline} WHERE r.template_code = '2021';
                INSERT INTO snapshot_parts (snapshot_id, part_id, position, heading)
                    SELECT s.id, d.part_id, d.position, d.heading FROM report_snapshots s CROSS JOIN {outline} WHERE s.template_code = '2021';
                CREATE TRIGGER published_parts_immutable BEFORE UPDATE OR DELETE ON snapshot_parts
                    FOR EACH ROW EXECUTE FUNCTION refuse_published_change();
                CREATE TRIGGER published_parts_refuse_insert BEFORE INSERT ON snapshot_parts
                    FOR EACH ROW EXECUTE FUNCTION refuse_insert_into_published();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The triggers go with their table.
            migrationBuilder.DropTable(
                name: "report_parts");

            migrationBuilder.DropTable(
                name: "snapshot_parts");
        }
    }
}
