using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovInfoReports.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class ConsolidationAcceptancesAndExclusions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "consolidation_acceptances",
                columns: table => new
                {
                    report_id = table.Column<int>(type: "integer", nullable: false),
                    accepted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    accepted_by = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_consolidation_acceptances", x => x.report_id);
                    table.ForeignKey(
                        name: "fk_consolidation_acceptances_reports_report_id",
                        column: x => x.report_id,
                        principalTable: "reports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "consolidation_exclusions",
                columns: table => new
                {
                    report_id = table.Column<int>(type: "integer", nullable: false),
                    agency_id = table.Column<int>(type: "integer", nullable: false),
                    reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    excluded_by = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    excluded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_consolidation_exclusions", x => new { x.report_id, x.agency_id });
                    table.ForeignKey(
                        name: "fk_consolidation_exclusions_agencies_agency_id",
                        column: x => x.agency_id,
                        principalTable: "agencies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_consolidation_exclusions_reports_report_id",
                        column: x => x.report_id,
                        principalTable: "reports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_consolidation_exclusions_agency_id",
                table: "consolidation_exclusions",
                column: "agency_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "consolidation_acceptances");

            migrationBuilder.DropTable(
                name: "consolidation_exclusions");
        }
    }
}
