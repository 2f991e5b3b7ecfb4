using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovInfoReports.Web.Data.Migrations
{
    /// <summary>
    /// Bounds a user's display name (姓名或岗位) to 50 characters (FieldLimits.UserDisplayName); it was unbounded
    /// <c>text</c>. PostgreSQL refuses to narrow a column that holds a longer value, so any such name is first
    /// cut to the limit (a display name only labels actions; the login name and the id are untouched).
    /// </summary>
    public partial class UserDisplayNameLimit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("UPDATE asp_net_users SET display_name = left(display_name, 50) WHERE char_length(display_name) > 50;");
            migrationBuilder.AlterColumn<string>(
                name: "display_name",
                table: "asp_net_users",
                type: "character varying(50)",
                maxLength: 50,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "text");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "display_name",
                table: "asp_net_users",
                type: "text",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(50)",
                oldMaxLength: 50);
        }
    }
}
