using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace GovInfoReports.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class ImportsAndArchiveRecords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "archive_import_id",
                table: "report_snapshots",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "archive_published_on",
                table: "report_snapshots",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "archive_source_url",
                table: "report_snapshots",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "report_imports",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    agency_id = table.Column<int>(type: "integer", nullable: false),
                    destination = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    file_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    source_kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    content = table.Column<byte[]>(type: "bytea", nullable: false),
                    sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    user_id = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    report_id = table.Column<int>(type: "integer", nullable: true),
                    target_report_id = table.Column<int>(type: "integer", nullable: true),
                    confirmed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    confirmed_by = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_report_imports", x => x.id);
                    table.ForeignKey(
                        name: "fk_report_imports_agencies_agency_id",
                        column: x => x.agency_id,
                        principalTable: "agencies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_report_imports_reports_report_id",
                        column: x => x.report_id,
                        principalTable: "reports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_report_imports_reports_target_report_id",
                        column: x => x.target_report_id,
                        principalTable: "reports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_report_snapshots_archive_import_id",
                table: "report_snapshots",
                column: "archive_import_id");

            migrationBuilder.CreateIndex(
                name: "ix_report_imports_agency_id_created_at",
                table: "report_imports",
                columns: new[] { "agency_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_report_imports_report_id",
                table: "report_imports",
                column: "report_id");

            migrationBuilder.CreateIndex(
                name: "ix_report_imports_target_report_id",
                table: "report_imports",
                column: "target_report_id");

            migrationBuilder.AddForeignKey(
                name: "fk_report_snapshots_report_imports_archive_import_id",
                table: "report_snapshots",
                column: "archive_import_id",
                principalTable: "report_imports",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_report_snapshots_report_imports_archive_import_id",
                table: "report_snapshots");

            migrationBuilder.DropTable(
                name: "report_imports");

            migrationBuilder.DropIndex(
                name: "ix_report_snapshots_archive_import_id",
                table: "report_snapshots");

            migrationBuilder.DropColumn(
                name: "archive_import_id",
                table: "report_snapshots");

            migrationBuilder.DropColumn(
                name: "archive_published_on",
                table: "report_snapshots");

            migrationBuilder.DropColumn(
                name: "archive_source_url",
                table: "report_snapshots");
        }
    }
}
