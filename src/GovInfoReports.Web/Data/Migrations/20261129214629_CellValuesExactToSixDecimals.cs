using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovInfoReports.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class CellValuesExactToSixDecimals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<decimal>(
                name: "value",
                table: "snapshot_cells",
                type: "numeric",
                nullable: false,
                oldClrType: typeof(decimal),
                oldType: "numeric(18,4)",
                oldPrecision: 18,
                oldScale: 4);

            migrationBuilder.AlterColumn<decimal>(
                name: "value",
                table: "report_cells",
                type: "numeric",
                nullable: false,
                oldClrType: typeof(decimal),
                oldType: "numeric(18,4)",
                oldPrecision: 18,
                oldScale: 4);

            migrationBuilder.AddCheckConstraint(
                name: "ck_snapshot_cells_value_exact",
                table: "snapshot_cells",
                sql: "scale(value) <= 6 AND abs(value) < 100000000000000");

            migrationBuilder.AddCheckConstraint(
                name: "ck_report_cells_value_exact",
                table: "report_cells",
                sql: "scale(value) <= 6 AND abs(value) < 100000000000000");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_snapshot_cells_value_exact",
                table: "snapshot_cells");

            migrationBuilder.DropCheckConstraint(
                name: "ck_report_cells_value_exact",
                table: "report_cells");

            migrationBuilder.AlterColumn<decimal>(
                name: "value",
                table: "snapshot_cells",
                type: "numeric(18,4)",
                precision: 18,
                scale: 4,
                nullable: false,
                oldClrType: typeof(decimal),
                oldType: "numeric");

            migrationBuilder.AlterColumn<decimal>(
                name: "value",
                table: "report_cells",
                type: "numeric(18,4)",
                precision: 18,
                scale: 4,
                nullable: false,
                oldClrType: typeof(decimal),
                oldType: "numeric");
        }
    }
}
