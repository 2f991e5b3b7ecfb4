using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovInfoReports.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class TextFingerprintBandsWithoutFastUpdate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_text_fingerprints_bands",
                table: "text_fingerprints");

            migrationBuilder.CreateIndex(
                name: "ix_text_fingerprints_bands",
                table: "text_fingerprints",
                column: "bands")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:StorageParameter:fastupdate", false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_text_fingerprints_bands",
                table: "text_fingerprints");

            migrationBuilder.CreateIndex(
                name: "ix_text_fingerprints_bands",
                table: "text_fingerprints",
                column: "bands")
                .Annotation("Npgsql:IndexMethod", "gin");
        }
    }
}
