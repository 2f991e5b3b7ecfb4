using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovInfoReports.Web.Data.Migrations
{
    /// <summary>
    /// A published version cannot be extended either: cells and texts may be inserted into a publication
    /// snapshot only by the transaction that creates it (the publication itself). Together with the
    /// UPDATE/DELETE triggers of ImmutablePublications and an application role that does not own the tables
    /// (so it cannot TRUNCATE, disable or drop triggers; see DatabaseRoles), a published version never
    /// changes (《政府信息公开条例》 art. 50: the report is published; a correction is a new version).
    /// </summary>
    public partial class PublishedVersionsRefuseInserts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // xmin of the snapshot row names the transaction (or subtransaction: EF Core wraps SaveChanges in a
            // savepoint inside an explicit transaction) that inserted it; pg_xact_status says 'in progress' only
            // for the current transaction's own (sub)transactions, since rows of other in-progress transactions
            // are not visible here, and FOR SHARE waits for a concurrent publisher to finish first. xmin is a
            // 32-bit xid and pg_xact_status takes a 64-bit xid8: the xmin is placed in the epoch nearest the
            // current transaction's (a subtransaction's id is just above its parent's, possibly across an
            // epoch). An id too old to have a status (or otherwise invalid) counts as not in progress.
            migrationBuilder.Sql("""
                CREATE FUNCTION refuse_insert_into_published() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    snapshot_kind text;
                    snapshot_xmin xid;
                    current_full bigint;
                    offset_from_current bigint;
                    inserter_status text;
                BEGIN
                    SELECT kind, xmin INTO snapshot_kind, snapshot_xmin FROM report_snapshots WHERE id = NEW.snapshot_id FOR SHARE;
                    IF snapshot_kind = 'Publication' THEN
                        current_full := pg_current_xact_id()::text::bigint;
                        offset_from_current := snapshot_xmin::text::bigint - (current_full & 4294967295);
                        IF offset_from_current > 2147483648 THEN offset_from_current := offset_from_current - 4294967296;
                        ELSIF offset_from_current < -2147483648 THEN offset_from_current := offset_from_current + 4294967296;
                        END IF;
                        BEGIN
                            inserter_status := pg_xact_status((current_full + offset_from_current)::text::xid8);
                        EXCEPTION WHEN OTHERS THEN
                            inserter_status := NULL;
                        END;
                        IF inserter_status IS DISTINCT FROM 'in progress' THEN
                            RAISE EXCEPTION 'published version content is immutable (snapshot %)', NEW.snapshot_id
                                USING ERRCODE = 'integrity_constraint_violation';
                        END IF;
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER published_cells_refuse_insert BEFORE INSERT ON snapshot_cells
                    FOR EACH ROW EXECUTE FUNCTION refuse_insert_into_published();
                CREATE TRIGGER published_texts_refuse_insert BEFORE INSERT ON snapshot_texts
                    FOR EACH ROW EXECUTE FUNCTION refuse_insert_into_published();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER published_texts_refuse_insert ON snapshot_texts;
                DROP TRIGGER published_cells_refuse_insert ON snapshot_cells;
                DROP FUNCTION refuse_insert_into_published();
                """);
        }
    }
}
