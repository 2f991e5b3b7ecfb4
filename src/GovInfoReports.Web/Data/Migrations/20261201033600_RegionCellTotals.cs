using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace GovInfoReports.Web.Data.Migrations
{
    /// <summary>
    /// Issue 13 part 3: a region's cell sums precomputed for its whole subtree (<c>region_cell_totals</c>, see
    /// <c>Publishing.RegionCellTotal</c>), backfilled here and kept exact by triggers in the transaction of every write:
    /// a cell inserted, changed or deleted (staged in region_cell_deltas and added to its region and every ancestor when
    /// the transaction commits, in one upsert in key order; a statement of over 1,000 rows is added at once);
    /// a report deleted (before its cells go) or moved to another agency or year; an agency moved to another region; a
    /// region moved under another parent (its subtree's sums leave the old ancestors and join the new ones; a move under
    /// its own subtree is refused). Regions themselves are walked up by parent_id (<c>region_chain</c>), so there is no
    /// second copy of the tree to go stale.
    /// </summary>
    /// <remarks>The slot is report id % 4 (<c>RegionCellTotal.Slots</c>), written here as a literal so that this migration
    /// never changes; reads add up every slot, so a later migration may change the count without a rewrite.</remarks>
    public partial class RegionCellTotals : Migration
    {
        /// <summary>Rows of report_cells as (report_id, cell_id, value, n), n = +1 added / -1 removed, summed into the
        /// region and every ancestor of the report's agency: one upsert, in key order (a fixed lock order).</summary>
        private static string ApplyDelta(string delta) => $"""
            WITH RECURSIVE delta AS ({delta}),
            own AS (
                SELECT a.region_id, rep.year, d.cell_id, rep.id % 4 AS slot,
                       SUM(d.value) AS total, SUM(d.n)::int AS reports
                FROM delta d JOIN reports rep ON rep.id = d.report_id JOIN agencies a ON a.id = rep.agency_id
                GROUP BY 1, 2, 3, 4),
            chain AS (
                SELECT DISTINCT region_id AS base, region_id AS id FROM own
                UNION
                SELECT chain.base, r.parent_id FROM chain JOIN regions r ON r.id = chain.id WHERE r.parent_id IS NOT NULL)
            INSERT INTO region_cell_totals AS t (region_id, year, cell_id, slot, total, reports)
            SELECT chain.id, own.year, own.cell_id, own.slot, SUM(own.total), SUM(own.reports)
            FROM own JOIN chain ON chain.base = own.region_id
            GROUP BY 1, 2, 3, 4
            HAVING SUM(own.total) <> 0 OR SUM(own.reports) <> 0
            ORDER BY 1, 2, 3, 4
            ON CONFLICT (region_id, year, cell_id, slot)
            DO UPDATE SET total = t.total + EXCLUDED.total, reports = t.reports + EXCLUDED.reports
            """;

        /// <summary>Stages rows (report_id, cell_id, value, n) for the transaction's commit; the first of a transaction is
        /// marked so that the deferred trigger fires once. Unchanged values (an update of the unit alone) are left out.</summary>
        private static string Stage(string delta) => $"""
            INSERT INTO region_cell_deltas (txid, report_id, cell_id, value, n, first)
            SELECT txid_current(), d.report_id, d.cell_id, d.value, d.n,
                   row_number() OVER () = 1 AND NOT EXISTS (SELECT 1 FROM region_cell_deltas WHERE txid = txid_current())
            FROM ({delta}) d
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "region_cell_deltas",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    txid = table.Column<long>(type: "bigint", nullable: false),
                    report_id = table.Column<int>(type: "integer", nullable: false),
                    cell_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    value = table.Column<decimal>(type: "numeric", nullable: false),
                    n = table.Column<int>(type: "integer", nullable: false),
                    first = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_region_cell_deltas", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "region_cell_totals",
                columns: table => new
                {
                    region_id = table.Column<int>(type: "integer", nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    cell_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    slot = table.Column<int>(type: "integer", nullable: false),
                    total = table.Column<decimal>(type: "numeric", nullable: false),
                    reports = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_region_cell_totals", x => new { x.region_id, x.year, x.cell_id, x.slot });
                    table.ForeignKey(
                        name: "fk_region_cell_totals_regions_region_id",
                        column: x => x.region_id,
                        principalTable: "regions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_region_cell_deltas_txid",
                table: "region_cell_deltas",
                column: "txid");

            migrationBuilder.Sql($$"""
                -- A region and every region above it (cycle-safe: UNION stops at a repeat).
                CREATE FUNCTION region_chain(p_region integer) RETURNS SETOF integer LANGUAGE sql STABLE AS $$
                    WITH RECURSIVE chain(id) AS (
                        SELECT p_region WHERE p_region IS NOT NULL
                        UNION
                        SELECT r.parent_id FROM regions r JOIN chain ON r.id = chain.id WHERE r.parent_id IS NOT NULL)
                    SELECT id FROM chain
                $$;

                -- Adds p_sign × one report's current cells to the sums of p_region and every region above it.
                CREATE FUNCTION region_totals_shift_report(p_report integer, p_region integer, p_year integer, p_sign integer)
                RETURNS void LANGUAGE sql AS $$
                    INSERT INTO region_cell_totals AS t (region_id, year, cell_id, slot, total, reports)
                    SELECT chain.id, p_year, c.cell_id, p_report % 4, p_sign * c.value, p_sign
                    FROM report_cells c CROSS JOIN region_chain(p_region) AS chain(id)
                    WHERE c.report_id = p_report
                    ORDER BY 1, 3
                    ON CONFLICT (region_id, year, cell_id, slot)
                    DO UPDATE SET total = t.total + EXCLUDED.total, reports = t.reports + EXCLUDED.reports
                $$;

                -- The changes of one transaction, applied at once: in one upsert in key order (so that two transactions
                -- lock the shared sums in the same order), when it commits (so that it holds them for the shortest time).
                CREATE FUNCTION region_totals_flush() RETURNS void LANGUAGE plpgsql AS $$
                BEGIN
                    {{ApplyDelta("SELECT report_id, cell_id, value, n FROM region_cell_deltas WHERE txid = txid_current()")}};
                    DELETE FROM region_cell_deltas WHERE txid = txid_current();
                END $$;
                CREATE FUNCTION region_totals_commit() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM region_totals_flush();
                    RETURN NULL;
                END $$;
                CREATE CONSTRAINT TRIGGER region_totals_commit AFTER INSERT ON region_cell_deltas
                    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.first) EXECUTE FUNCTION region_totals_commit();

                -- A statement's changed cells are staged (the first staged row of a transaction fires the commit trigger
                -- above); a bulk statement (a COPY, a backfill) is applied at once, in key order as well.
                CREATE FUNCTION region_totals_cells_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    bulk boolean;
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        bulk := (SELECT count(*) FROM (SELECT 1 FROM new_cells LIMIT 1001) x) > 1000;
                        IF bulk THEN
                            {{ApplyDelta("SELECT report_id, cell_id, value, 1 AS n FROM new_cells")}};
                        ELSE
                            {{Stage("SELECT report_id, cell_id, value, 1 AS n FROM new_cells")}};
                        END IF;
                    ELSIF TG_OP = 'UPDATE' THEN
                        bulk := (SELECT count(*) FROM (SELECT 1 FROM new_cells LIMIT 1001) x) > 1000;
                        IF bulk THEN
                            {{ApplyDelta("SELECT report_id, cell_id, value, 1 AS n FROM new_cells UNION ALL SELECT report_id, cell_id, -value, -1 FROM old_cells")}};
                        ELSE
                            {{Stage("SELECT report_id, cell_id, value, 1 AS n FROM new_cells UNION ALL SELECT report_id, cell_id, -value, -1 FROM old_cells")}};
                        END IF;
                    ELSE
                        bulk := (SELECT count(*) FROM (SELECT 1 FROM old_cells LIMIT 1001) x) > 1000;
                        IF bulk THEN
                            {{ApplyDelta("SELECT report_id, cell_id, -value AS value, -1 AS n FROM old_cells")}};
                        ELSE
                            {{Stage("SELECT report_id, cell_id, -value AS value, -1 AS n FROM old_cells")}};
                        END IF;
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER region_totals_cells_inserted AFTER INSERT ON report_cells
                    REFERENCING NEW TABLE AS new_cells FOR EACH STATEMENT EXECUTE FUNCTION region_totals_cells_changed();
                CREATE TRIGGER region_totals_cells_updated AFTER UPDATE ON report_cells
                    REFERENCING OLD TABLE AS old_cells NEW TABLE AS new_cells FOR EACH STATEMENT EXECUTE FUNCTION region_totals_cells_changed();
                CREATE TRIGGER region_totals_cells_deleted AFTER DELETE ON report_cells
                    REFERENCING OLD TABLE AS old_cells FOR EACH STATEMENT EXECUTE FUNCTION region_totals_cells_changed();

                CREATE FUNCTION region_totals_cells_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    DELETE FROM region_cell_totals;
                    DELETE FROM region_cell_deltas;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER region_totals_cells_truncated AFTER TRUNCATE ON report_cells
                    FOR EACH STATEMENT EXECUTE FUNCTION region_totals_cells_truncated();

                -- Before the tree or a report moves, the transaction's staged cells are added under the tree as it is
                -- (after the move they would be added where the report now is, and the move would move them again).
                CREATE FUNCTION region_totals_flush_before_move() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM region_totals_flush();
                    RETURN NEW;
                END $$;
                CREATE TRIGGER region_totals_report_moving BEFORE UPDATE OF agency_id, year ON reports
                    FOR EACH ROW WHEN (OLD.agency_id IS DISTINCT FROM NEW.agency_id OR OLD.year IS DISTINCT FROM NEW.year)
                    EXECUTE FUNCTION region_totals_flush_before_move();
                CREATE TRIGGER region_totals_agency_moving BEFORE UPDATE OF region_id ON agencies
                    FOR EACH ROW WHEN (OLD.region_id IS DISTINCT FROM NEW.region_id) EXECUTE FUNCTION region_totals_flush_before_move();
                CREATE TRIGGER region_totals_region_moving BEFORE UPDATE OF parent_id ON regions
                    FOR EACH ROW WHEN (OLD.parent_id IS DISTINCT FROM NEW.parent_id) EXECUTE FUNCTION region_totals_flush_before_move();

                -- A report's cells leave its region's sums before the report goes (its cells' cascade delete then finds
                -- no report and changes nothing); a report given another agency or year moves its cells' contribution.
                CREATE FUNCTION region_totals_report_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        PERFORM region_totals_flush(); -- the transaction's staged cells first, while the report is there
                    END IF;
                    PERFORM region_totals_shift_report(OLD.id, (SELECT region_id FROM agencies WHERE id = OLD.agency_id), OLD.year, -1);
                    IF TG_OP = 'DELETE' THEN
                        RETURN OLD;
                    END IF;
                    PERFORM region_totals_shift_report(NEW.id, (SELECT region_id FROM agencies WHERE id = NEW.agency_id), NEW.year, 1);
                    RETURN NULL;
                END $$;
                CREATE TRIGGER region_totals_report_deleted BEFORE DELETE ON reports
                    FOR EACH ROW EXECUTE FUNCTION region_totals_report_changed();
                CREATE TRIGGER region_totals_report_moved AFTER UPDATE OF agency_id, year ON reports
                    FOR EACH ROW WHEN (OLD.agency_id IS DISTINCT FROM NEW.agency_id OR OLD.year IS DISTINCT FROM NEW.year)
                    EXECUTE FUNCTION region_totals_report_changed();

                CREATE FUNCTION region_totals_agency_moved() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    rep record;
                BEGIN
                    FOR rep IN SELECT id, year FROM reports WHERE agency_id = NEW.id ORDER BY id LOOP
                        PERFORM region_totals_shift_report(rep.id, OLD.region_id, rep.year, -1);
                        PERFORM region_totals_shift_report(rep.id, NEW.region_id, rep.year, 1);
                    END LOOP;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER region_totals_agency_moved AFTER UPDATE OF region_id ON agencies
                    FOR EACH ROW WHEN (OLD.region_id IS DISTINCT FROM NEW.region_id) EXECUTE FUNCTION region_totals_agency_moved();

                -- A region moved under another parent takes its subtree's sums (its own rows) from the old parent's
                -- chain to the new one's; ancestors shared by both are netted out first.
                CREATE FUNCTION region_totals_region_moved() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.id IN (SELECT region_chain(NEW.parent_id)) THEN
                        RAISE EXCEPTION 'region % cannot be moved under its own subtree (region %)', NEW.id, NEW.parent_id
                            USING ERRCODE = 'check_violation';
                    END IF;
                    INSERT INTO region_cell_totals AS t (region_id, year, cell_id, slot, total, reports)
                    SELECT chain.id, m.year, m.cell_id, m.slot, SUM(s.sign * m.total), SUM(s.sign * m.reports)::int
                    FROM region_cell_totals m
                    CROSS JOIN (VALUES (OLD.parent_id, -1), (NEW.parent_id, 1)) AS s(parent, sign)
                    CROSS JOIN LATERAL region_chain(s.parent) AS chain(id)
                    WHERE m.region_id = NEW.id
                    GROUP BY 1, 2, 3, 4
                    HAVING SUM(s.sign * m.total) <> 0 OR SUM(s.sign * m.reports) <> 0
                    ORDER BY 1, 2, 3, 4
                    ON CONFLICT (region_id, year, cell_id, slot)
                    DO UPDATE SET total = t.total + EXCLUDED.total, reports = t.reports + EXCLUDED.reports;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER region_totals_region_moved AFTER UPDATE OF parent_id ON regions
                    FOR EACH ROW WHEN (OLD.parent_id IS DISTINCT FROM NEW.parent_id) EXECUTE FUNCTION region_totals_region_moved();
                """);
            // The sums of the reports already stored (the triggers above keep them from now on).
            migrationBuilder.Sql(ApplyDelta("SELECT report_id, cell_id, value, 1 AS n FROM report_cells") + ";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER region_totals_region_moved ON regions;
                DROP TRIGGER region_totals_region_moving ON regions;
                DROP TRIGGER region_totals_agency_moving ON agencies;
                DROP TRIGGER region_totals_report_moving ON reports;
                DROP TRIGGER region_totals_agency_moved ON agencies;
                DROP TRIGGER region_totals_report_moved ON reports;
                DROP TRIGGER region_totals_report_deleted ON reports;
                DROP TRIGGER region_totals_cells_truncated ON report_cells;
                DROP TRIGGER region_totals_cells_deleted ON report_cells;
                DROP TRIGGER region_totals_cells_updated ON report_cells;
                DROP TRIGGER region_totals_cells_inserted ON report_cells;
                DROP TRIGGER region_totals_commit ON region_cell_deltas;
                DROP FUNCTION region_totals_region_moved();
                DROP FUNCTION region_totals_flush_before_move();
                DROP FUNCTION region_totals_agency_moved();
                DROP FUNCTION region_totals_report_changed();
                DROP FUNCTION region_totals_cells_truncated();
                DROP FUNCTION region_totals_cells_changed();
                DROP FUNCTION region_totals_commit();
                DROP FUNCTION region_totals_flush();
                DROP FUNCTION region_totals_shift_report(integer, integer, integer, integer);
                DROP FUNCTION region_chain(integer);
                """);
            migrationBuilder.DropTable(
                name: "region_cell_deltas");

            migrationBuilder.DropTable(
                name: "region_cell_totals");
        }
    }
}
