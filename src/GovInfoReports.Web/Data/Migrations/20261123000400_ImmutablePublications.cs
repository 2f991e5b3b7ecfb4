using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace GovInfoReports.Web.Data.Migrations;

// A published version keeps the agency as it was at publication, and the database itself refuses any
// change to a published version (its row, cells and texts): a correction is always a new version.
[DbContext(typeof(AppDbContext))]
[Migration("20261123000400_ImmutablePublications")]
public sealed class ImmutablePublications : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.Sql("""
            ALTER TABLE report_snapshots
                ADD COLUMN agency_name character varying(100) NOT NULL DEFAULT '',
                ADD COLUMN agency_kind character varying(16) NOT NULL DEFAULT '',
                ADD COLUMN region_code character varying(12) NOT NULL DEFAULT '',
                ADD COLUMN region_name character varying(100) NOT NULL DEFAULT '';
            UPDATE report_snapshots s SET agency_name = a.name, agency_kind = a.kind, region_code = g.code, region_name = g.name
                FROM reports r JOIN agencies a ON a.id = r.agency_id JOIN regions g ON g.id = a.region_id WHERE r.id = s.report_id;
            ALTER TABLE report_snapshots
                ALTER COLUMN agency_name DROP DEFAULT, ALTER COLUMN agency_kind DROP DEFAULT,
                ALTER COLUMN region_code DROP DEFAULT, ALTER COLUMN region_name DROP DEFAULT;

            CREATE FUNCTION refuse_published_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_TABLE_NAME = 'report_snapshots' THEN
                    IF OLD.kind = 'Publication' THEN
                        RAISE EXCEPTION 'published version % of report % is immutable', OLD.version, OLD.report_id;
                    END IF;
                ELSIF EXISTS (SELECT 1 FROM report_snapshots WHERE id = OLD.snapshot_id AND kind = 'Publication') THEN
                    RAISE EXCEPTION 'published version content is immutable (snapshot %)', OLD.snapshot_id;
                END IF;
                RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
            END $$;
            CREATE TRIGGER published_snapshot_immutable BEFORE UPDATE OR DELETE ON report_snapshots
                FOR EACH ROW EXECUTE FUNCTION refuse_published_change();
            CREATE TRIGGER published_cells_immutable BEFORE UPDATE OR DELETE ON snapshot_cells
                FOR EACH ROW EXECUTE FUNCTION refuse_published_change();
            CREATE TRIGGER published_texts_immutable BEFORE UPDATE OR DELETE ON snapshot_texts
                FOR EACH ROW EXECUTE FUNCTION refuse_published_change();
            """);
    }

    protected override void Down(MigrationBuilder m) => m.Sql("""
        DROP TRIGGER published_texts_immutable ON snapshot_texts;
        DROP TRIGGER published_cells_immutable ON snapshot_cells;
        DROP TRIGGER published_snapshot_immutable ON report_snapshots;
        DROP FUNCTION refuse_published_change();
        ALTER TABLE report_snapshots DROP COLUMN agency_name, DROP COLUMN agency_kind, DROP COLUMN region_code, DROP COLUMN region_name;
        """);
}
