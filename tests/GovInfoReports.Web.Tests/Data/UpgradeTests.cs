using System.Net;
using GovInfoReports.Web.Demo;
using GovInfoReports.Web.Data;
using GovInfoReports.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GovInfoReports.Web.Tests.Data;

/// <summary>
/// A database made by the releases before generated migrations (the five hand-written ones, keys stored
/// unencrypted) upgrades in place: the schema does not change by accident, no row is lost, and a user
/// signed in before the upgrade is still signed in after it.
/// </summary>
public sealed class UpgradeTests
{
    /// <summary>The last migration of the hand-written releases.</summary>
    private const string LastHandWritten = "20261123000400_ImmutablePublications";

    [Fact]
    public async Task A_database_of_the_hand_written_migrations_upgrades_in_place_keeping_rows_schema_and_sign_ins()
    {
        var owner = await TestPostgres.CreateEmptyDatabaseAsync("upgrade");
        var appConnection = TestPostgres.ConnectionString(new NpgsqlConnectionStringBuilder(owner).Database!);
        await DatabaseMigrator.MigrateAsync(owner, TestPostgres.AppRole, CancellationToken.None, LastHandWritten);
        var schemaBefore = await SchemaSnapshot.ReadAsync(owner);
        // The "release" below is today's code, which writes report_cells.unit and snapshot_cells.unit (added since
        // the hand-written releases). The columns exist only while it seeds, all null, and are dropped before the
        // upgrade, so the upgrade starts from exactly the hand-written schema (schemaBefore) with its rows.
        // Likewise report_snapshots' archive columns (issue 10), all null for versions published here.
        // And text_fingerprints (issue 11), which today's code writes on every save of a text; and the reminders (issue 12),
        // which today's /entry reads.
        await ExecuteAsync(owner, "ALTER TABLE report_cells ADD COLUMN unit text; ALTER TABLE snapshot_cells ADD COLUMN unit text; " +
            "ALTER TABLE report_snapshots ADD COLUMN archive_import_id integer, ADD COLUMN archive_published_on date, ADD COLUMN archive_source_url text, ADD COLUMN import_findings jsonb; " +
            "CREATE TABLE text_fingerprints (report_id integer, part_id character varying(64), year integer, agency_id integer, length integer, signature integer[], bands bigint[]); " +
            $"GRANT SELECT, INSERT, UPDATE, DELETE ON text_fingerprints TO {TestPostgres.AppRole}; " +
            "CREATE TABLE reminders (id bigint, agency_id integer, year integer, kind character varying(16), day date, deadline date, deadline_basis character varying(500), sent_at timestamp with time zone, sent_by character varying(450)); " +
            "CREATE TABLE reminder_recipients (reminder_id bigint, user_id character varying(450), read_at timestamp with time zone); " +
            $"GRANT SELECT, INSERT, UPDATE, DELETE ON reminders, reminder_recipients TO {TestPostgres.AppRole}; " +
            // And the consolidation tables (issue 12), which today's demo writes when it consolidates 获嘉县's reports.
            "CREATE TABLE consolidation_acceptances (report_id integer, accepted_at timestamp with time zone, accepted_by character varying(450)); " +
            "CREATE TABLE consolidation_exclusions (report_id integer, agency_id integer, reason character varying(200), excluded_by character varying(450), excluded_at timestamp with time zone); " +
            $"GRANT SELECT, INSERT, UPDATE, DELETE ON consolidation_acceptances, consolidation_exclusions TO {TestPostgres.AppRole}; " +
            // And login_failures (issue 13), which today's login page reads on every sign-in.
            "CREATE TABLE login_failures (id bigint, address character varying(64), at timestamp with time zone); " +
            $"GRANT SELECT, INSERT, UPDATE, DELETE ON login_failures TO {TestPostgres.AppRole};");

        string cookies;
        Dictionary<string, long> rowsBefore;
        List<string> textsBefore;
        await using (var release = new AppFactory(appConnection) { EncryptKeys = false })
        {
            // The releases before issue 8 kept no narrative outline; today's seeder writes one, so it is lent the
            // table for the seeding, which is dropped again before the upgrade.
            await ExecuteAsync(owner, "CREATE TABLE report_parts (report_id integer, part_id character varying(64), position integer, heading character varying(200)); " +
                $"GRANT SELECT, INSERT, UPDATE, DELETE ON report_parts TO {TestPostgres.AppRole}");
            await using (var scope = release.Services.CreateAsyncScope())
                await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(CancellationToken.None, publishHistory: false);
            await ExecuteAsync(owner, "DROP TABLE report_parts");
            cookies = await CookieSession.SignInAsync(release, "edu");
            Assert.Equal(HttpStatusCode.OK, (await CookieSession.Client(release, cookies).GetAsync("/entry")).StatusCode);
            rowsBefore = await RowCountsAsync(owner);
            textsBefore = await TextsAsync(owner);
        }
        Assert.Contains("<masterKey", await KeyXmlAsync(owner)); // the old release kept its keys in plaintext
        Assert.Equal(0L, await ScalarAsync(owner, "SELECT (SELECT count(*) FROM report_cells WHERE unit IS NOT NULL) + (SELECT count(*) FROM snapshot_cells WHERE unit IS NOT NULL)"));
        Assert.Equal(0L, await ScalarAsync(owner, "SELECT count(*) FROM report_snapshots WHERE archive_import_id IS NOT NULL OR archive_published_on IS NOT NULL OR archive_source_url IS NOT NULL OR import_findings IS NOT NULL"));
        await ExecuteAsync(owner, "ALTER TABLE report_cells DROP COLUMN unit; ALTER TABLE snapshot_cells DROP COLUMN unit; " +
            "ALTER TABLE report_snapshots DROP COLUMN archive_import_id, DROP COLUMN archive_published_on, DROP COLUMN archive_source_url, DROP COLUMN import_findings; " +
            "DROP TABLE text_fingerprints, consolidation_acceptances, consolidation_exclusions, reminder_recipients, reminders, login_failures;");
        Assert.Empty(SchemaSnapshot.Differences(schemaBefore, await SchemaSnapshot.ReadAsync(owner)));

        await DatabaseMigrator.MigrateAsync(owner, TestPostgres.AppRole, CancellationToken.None);

        // The intended changes since the hand-written releases: display names got a length limit; cell values
        // became exact (numeric without a declared scale, at most 6 decimals by a CHECK: 万元 to the 分); reports and
        // versions got their narrative outline; cells gained the unit the agency printed (2019 format 采购总金额:
        // 元 or 万元) (issue 8); imports of published reports keep their original file (report_imports) and a version
        // may be an archive record of a report published elsewhere (report_snapshots.archive_*) (issue 10); an imported
        // version keeps what the rules found (report_snapshots.import_findings) and narrative parts have similarity
        // fingerprints (text_fingerprints) (issue 11); a 全辖区 report records that it took its units' sums and which units it
        // left out (consolidation_acceptances, consolidation_exclusions), and clerks receive in-app reminders (reminders,
        // reminder_recipients) (issue 12); failed sign-ins are counted per address across instances (login_failures), and a
        // region's cell sums are kept for its whole subtree (region_cell_totals, with region_cell_deltas staging a transaction's
        // changes until it commits) (issue 13).
        Assert.Equal(
            [
                "only in migrations: column | asp_net_users | display_name | text | ∅ | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in migrations: column | report_cells | value | numeric | ∅ | 18 | 4 | NO | ∅ | NO | ∅",
                "only in migrations: column | snapshot_cells | value | numeric | ∅ | 18 | 4 | NO | ∅ | NO | ∅",
                "only in model:      column | asp_net_users | display_name | character varying | 50 | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in model:      column | consolidation_acceptances | accepted_at | timestamp with time zone | ∅ | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in model:      column | consolidation_acceptances | accepted_by | character varying | 450 | ∅ | ∅ | YES | ∅ | NO | ∅",
                "only in model:      column | consolidation_acceptances | report_id | integer | ∅ | 32 | 0 | NO | ∅ | NO | ∅",
                "only in model:      column | consolidation_exclusions | agency_id | integer | ∅ | 32 | 0 | NO | ∅ | NO | ∅",
                "only in model:      column | consolidation_exclusions | excluded_at | timestamp with time zone | ∅ | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in model:      column | consolidation_exclusions | excluded_by | character varying | 450 | ∅ | ∅ | YES | ∅ | NO | ∅",
                "only in model:      column | consolidation_exclusions | reason | character varying | 200 | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in model:      column | consolidation_exclusions | report_id | integer | ∅ | 32 | 0 | NO | ∅ | NO | ∅",
                "only in model:      column | login_failures | address | character varying | 64 | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in model:      column | login_failures | at | timestamp with time zone | ∅ | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in model:      column | login_failures | id | bigint | ∅ | 64 | 0 | NO | ∅ | YES | BY DEFAULT",
                "only in model:      column | region_cell_deltas | cell_id | character varying | 64 | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in model:      column | region_cell_deltas | first | boolean | ∅ | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in model:      column | region_cell_deltas | id | bigint | ∅ | 64 | 0 | NO | ∅ | YES | BY DEFAULT",
                "only in model:      column | region_cell_deltas | n | integer | ∅ | 32 | 0 | NO | ∅ | NO | ∅",
                "only in model:      column | region_cell_deltas | report_id | integer | ∅ | 32 | 0 | NO | ∅ | NO | ∅",
                "only in model:      column | region_cell_deltas | txid | bigint | ∅ | 64 | 0 | NO | ∅ | NO | ∅",
                "only in model:      column | region_cell_deltas | value | numeric | ∅ | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in model:      column | region_cell_totals | cell_id | character varying | 64 | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in model:      column | region_cell_totals | region_id | integer | ∅ | 32 | 0 | NO | ∅ | NO | ∅",
                "only in model:      column | region_cell_totals | reports | integer | ∅ | 32 | 0 | NO | ∅ | NO | ∅",
                "only in model:      column | region_cell_totals | slot | integer | ∅ | 32 | 0 | NO | ∅ | NO | ∅",
                "only in model:      column | region_cell_totals | total | numeric | ∅ | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in model:      column | region_cell_totals | year | integer | ∅ | 32 | 0 | NO | ∅ | NO | ∅",
                "only in model:      column | reminder_recipients | read_at | timestamp with time zone | ∅ | ∅ | ∅ | YES | ∅ | NO | ∅",
                "only in model:      column | reminder_recipients | reminder_id | bigint | ∅ | 64 | 0 | NO | ∅ | NO | ∅",
                "only in model:      column | reminder_recipients | user_id | character varying | 450 | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in model:      column | reminders | agency_id | integer | ∅ | 32 | 0 | NO | ∅ | NO | ∅",
                "only in model:      column | reminders | day | date | ∅ | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in model:      column | reminders | deadline | date | ∅ | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in model:      column | reminders | deadline_basis | character varying | 500 | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in model:      column | reminders | id | bigint | ∅ | 64 | 0 | NO | ∅ | YES | BY DEFAULT",
                "only in model:      column | reminders | kind | character varying | 16 | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in model:      column | reminders | sent_at | timestamp with time zone | ∅ | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in model:      column | reminders | sent_by | character varying | 450 | ∅ | ∅ | YES | ∅ | NO | ∅",
                "only in model:      column | reminders | year | integer | ∅ | 32 | 0 | NO | ∅ | NO | ∅",
                "only in model:      column | report_cells | unit | character varying | 16 | ∅ | ∅ | YES | ∅ | NO | ∅",
                "only in model:      column | report_cells | value | numeric | ∅ | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in model:      column | report_imports | agency_id | integer | ∅ | 32 | 0 | NO | ∅ | NO | ∅",
                "only in model:      column | report_imports | confirmed_at | timestamp with time zone | ∅ | ∅ | ∅ | YES | ∅ | NO | ∅",
                "only in model:      column | report_imports | confirmed_by | character varying | 450 | ∅ | ∅ | YES | ∅ | NO | ∅",
                "only in model:      column | report_imports | content | bytea | ∅ | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in model:      column | report_imports | created_at | timestamp with time zone | ∅ | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in model:      column | report_imports | destination | character varying | 16 | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in model:      column | report_imports | file_name | character varying | 200 | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in model:      column | report_imports | id | integer | ∅ | 32 | 0 | NO | ∅ | YES | BY DEFAULT",
                "only in model:      column | report_imports | report_id | integer | ∅ | 32 | 0 | YES | ∅ | NO | ∅",
                "only in model:      column | report_imports | sha256 | character varying | 64 | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in model:      column | report_imports | source_kind | character varying | 16 | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in model:      column | report_imports | status | character varying | 16 | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in model:      column | report_imports | target_report_id | integer | ∅ | 32 | 0 | YES | ∅ | NO | ∅",
                "only in model:      column | report_imports | user_id | character varying | 450 | ∅ | ∅ | YES | ∅ | NO | ∅",
                "only in model:      column | report_parts | heading | character varying | 200 | ∅ | ∅ | YES | ∅ | NO | ∅",
                "only in model:      column | report_parts | part_id | character varying | 64 | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in model:      column | report_parts | position | integer | ∅ | 32 | 0 | NO | ∅ | NO | ∅",
                "only in model:      column | report_parts | report_id | integer | ∅ | 32 | 0 | NO | ∅ | NO | ∅",
                "only in model:      column | report_snapshots | archive_import_id | integer | ∅ | 32 | 0 | YES | ∅ | NO | ∅",
                "only in model:      column | report_snapshots | archive_published_on | date | ∅ | ∅ | ∅ | YES | ∅ | NO | ∅",
                "only in model:      column | report_snapshots | archive_source_url | character varying | 1000 | ∅ | ∅ | YES | ∅ | NO | ∅",
                "only in model:      column | report_snapshots | import_findings | jsonb | ∅ | ∅ | ∅ | YES | ∅ | NO | ∅",
                "only in model:      column | snapshot_cells | unit | character varying | 16 | ∅ | ∅ | YES | ∅ | NO | ∅",
                "only in model:      column | snapshot_cells | value | numeric | ∅ | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in model:      column | snapshot_parts | heading | character varying | 200 | ∅ | ∅ | YES | ∅ | NO | ∅",
                "only in model:      column | snapshot_parts | part_id | character varying | 64 | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in model:      column | snapshot_parts | position | integer | ∅ | 32 | 0 | NO | ∅ | NO | ∅",
                "only in model:      column | snapshot_parts | snapshot_id | bigint | ∅ | 64 | 0 | NO | ∅ | NO | ∅",
                "only in model:      column | text_fingerprints | agency_id | integer | ∅ | 32 | 0 | NO | ∅ | NO | ∅",
                "only in model:      column | text_fingerprints | bands | ARRAY | ∅ | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in model:      column | text_fingerprints | length | integer | ∅ | 32 | 0 | NO | ∅ | NO | ∅",
                "only in model:      column | text_fingerprints | part_id | character varying | 64 | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in model:      column | text_fingerprints | report_id | integer | ∅ | 32 | 0 | NO | ∅ | NO | ∅",
                "only in model:      column | text_fingerprints | signature | ARRAY | ∅ | ∅ | ∅ | NO | ∅ | NO | ∅",
                "only in model:      column | text_fingerprints | year | integer | ∅ | 32 | 0 | NO | ∅ | NO | ∅",
                "only in model:      constraint | consolidation_acceptances | fk_consolidation_acceptances_reports_report_id | FOREIGN KEY | FOREIGN KEY (report_id) REFERENCES reports(id) ON DELETE CASCADE",
                "only in model:      constraint | consolidation_acceptances | pk_consolidation_acceptances | PRIMARY KEY | PRIMARY KEY (report_id)",
                "only in model:      constraint | consolidation_exclusions | fk_consolidation_exclusions_agencies_agency_id | FOREIGN KEY | FOREIGN KEY (agency_id) REFERENCES agencies(id) ON DELETE CASCADE",
                "only in model:      constraint | consolidation_exclusions | fk_consolidation_exclusions_reports_report_id | FOREIGN KEY | FOREIGN KEY (report_id) REFERENCES reports(id) ON DELETE CASCADE",
                "only in model:      constraint | consolidation_exclusions | pk_consolidation_exclusions | PRIMARY KEY | PRIMARY KEY (report_id, agency_id)",
                "only in model:      constraint | login_failures | pk_login_failures | PRIMARY KEY | PRIMARY KEY (id)",
                "only in model:      constraint | region_cell_deltas | pk_region_cell_deltas | PRIMARY KEY | PRIMARY KEY (id)",
                "only in model:      constraint | region_cell_totals | fk_region_cell_totals_regions_region_id | FOREIGN KEY | FOREIGN KEY (region_id) REFERENCES regions(id) ON DELETE CASCADE",
                "only in model:      constraint | region_cell_totals | pk_region_cell_totals | PRIMARY KEY | PRIMARY KEY (region_id, year, cell_id, slot)",
                "only in model:      constraint | reminder_recipients | fk_reminder_recipients_asp_net_users_user_id | FOREIGN KEY | FOREIGN KEY (user_id) REFERENCES asp_net_users(id) ON DELETE CASCADE",
                "only in model:      constraint | reminder_recipients | fk_reminder_recipients_reminders_reminder_id | FOREIGN KEY | FOREIGN KEY (reminder_id) REFERENCES reminders(id) ON DELETE CASCADE",
                "only in model:      constraint | reminder_recipients | pk_reminder_recipients | PRIMARY KEY | PRIMARY KEY (reminder_id, user_id)",
                "only in model:      constraint | reminders | fk_reminders_agencies_agency_id | FOREIGN KEY | FOREIGN KEY (agency_id) REFERENCES agencies(id) ON DELETE CASCADE",
                "only in model:      constraint | reminders | fk_reminders_asp_net_users_sent_by | FOREIGN KEY | FOREIGN KEY (sent_by) REFERENCES asp_net_users(id) ON DELETE SET NULL",
                "only in model:      constraint | reminders | pk_reminders | PRIMARY KEY | PRIMARY KEY (id)",
                "only in model:      constraint | report_cells | ck_report_cells_value_exact | CHECK | CHECK (((scale(value) <= 6) AND (abs(value) < ('100000000000000'::bigint)::numeric)))",
                "only in model:      constraint | report_imports | fk_report_imports_agencies_agency_id | FOREIGN KEY | FOREIGN KEY (agency_id) REFERENCES agencies(id) ON DELETE RESTRICT",
                "only in model:      constraint | report_imports | fk_report_imports_reports_report_id | FOREIGN KEY | FOREIGN KEY (report_id) REFERENCES reports(id) ON DELETE RESTRICT",
                "only in model:      constraint | report_imports | fk_report_imports_reports_target_report_id | FOREIGN KEY | FOREIGN KEY (target_report_id) REFERENCES reports(id) ON DELETE RESTRICT",
                "only in model:      constraint | report_imports | pk_report_imports | PRIMARY KEY | PRIMARY KEY (id)",
                "only in model:      constraint | report_parts | fk_report_parts_reports_report_id | FOREIGN KEY | FOREIGN KEY (report_id) REFERENCES reports(id) ON DELETE CASCADE",
                "only in model:      constraint | report_parts | pk_report_parts | PRIMARY KEY | PRIMARY KEY (report_id, part_id)",
                "only in model:      constraint | report_snapshots | fk_report_snapshots_report_imports_archive_import_id | FOREIGN KEY | FOREIGN KEY (archive_import_id) REFERENCES report_imports(id) ON DELETE RESTRICT",
                "only in model:      constraint | snapshot_cells | ck_snapshot_cells_value_exact | CHECK | CHECK (((scale(value) <= 6) AND (abs(value) < ('100000000000000'::bigint)::numeric)))",
                "only in model:      constraint | snapshot_parts | fk_snapshot_parts_report_snapshots_snapshot_id | FOREIGN KEY | FOREIGN KEY (snapshot_id) REFERENCES report_snapshots(id) ON DELETE CASCADE",
                "only in model:      constraint | snapshot_parts | pk_snapshot_parts | PRIMARY KEY | PRIMARY KEY (snapshot_id, part_id)",
                "only in model:      constraint | text_fingerprints | ck_text_fingerprints_bands | CHECK | CHECK ((cardinality(bands) = 20))",
                "only in model:      constraint | text_fingerprints | ck_text_fingerprints_signature | CHECK | CHECK ((cardinality(signature) = 120))",
                "only in model:      constraint | text_fingerprints | fk_text_fingerprints_reports_report_id | FOREIGN KEY | FOREIGN KEY (report_id) REFERENCES reports(id) ON DELETE CASCADE",
                "only in model:      constraint | text_fingerprints | pk_text_fingerprints | PRIMARY KEY | PRIMARY KEY (report_id, part_id)",
                "only in model:      index | consolidation_acceptances | pk_consolidation_acceptances | CREATE UNIQUE INDEX pk_consolidation_acceptances ON public.consolidation_acceptances USING btree (report_id)",
                "only in model:      index | consolidation_exclusions | ix_consolidation_exclusions_agency_id | CREATE INDEX ix_consolidation_exclusions_agency_id ON public.consolidation_exclusions USING btree (agency_id)",
                "only in model:      index | consolidation_exclusions | pk_consolidation_exclusions | CREATE UNIQUE INDEX pk_consolidation_exclusions ON public.consolidation_exclusions USING btree (report_id, agency_id)",
                "only in model:      index | login_failures | ix_login_failures_address_at | CREATE INDEX ix_login_failures_address_at ON public.login_failures USING btree (address, at)",
                "only in model:      index | login_failures | ix_login_failures_at | CREATE INDEX ix_login_failures_at ON public.login_failures USING btree (at)",
                "only in model:      index | login_failures | pk_login_failures | CREATE UNIQUE INDEX pk_login_failures ON public.login_failures USING btree (id)",
                "only in model:      index | region_cell_deltas | ix_region_cell_deltas_txid | CREATE INDEX ix_region_cell_deltas_txid ON public.region_cell_deltas USING btree (txid)",
                "only in model:      index | region_cell_deltas | pk_region_cell_deltas | CREATE UNIQUE INDEX pk_region_cell_deltas ON public.region_cell_deltas USING btree (id)",
                "only in model:      index | region_cell_totals | pk_region_cell_totals | CREATE UNIQUE INDEX pk_region_cell_totals ON public.region_cell_totals USING btree (region_id, year, cell_id, slot)",
                "only in model:      index | reminder_recipients | ix_reminder_recipients_user_id | CREATE INDEX ix_reminder_recipients_user_id ON public.reminder_recipients USING btree (user_id)",
                "only in model:      index | reminder_recipients | pk_reminder_recipients | CREATE UNIQUE INDEX pk_reminder_recipients ON public.reminder_recipients USING btree (reminder_id, user_id)",
                "only in model:      index | reminders | ix_reminders_agency_id_year_kind_day | CREATE UNIQUE INDEX ix_reminders_agency_id_year_kind_day ON public.reminders USING btree (agency_id, year, kind, day)",
                "only in model:      index | reminders | ix_reminders_agency_id_year_sent_at | CREATE INDEX ix_reminders_agency_id_year_sent_at ON public.reminders USING btree (agency_id, year, sent_at)",
                "only in model:      index | reminders | ix_reminders_sent_by | CREATE INDEX ix_reminders_sent_by ON public.reminders USING btree (sent_by)",
                "only in model:      index | reminders | pk_reminders | CREATE UNIQUE INDEX pk_reminders ON public.reminders USING btree (id)",
                "only in model:      index | report_imports | ix_report_imports_agency_id_created_at | CREATE INDEX ix_report_imports_agency_id_created_at ON public.report_imports USING btree (agency_id, created_at)",
                "only in model:      index | report_imports | ix_report_imports_report_id | CREATE INDEX ix_report_imports_report_id ON public.report_imports USING btree (report_id)",
                "only in model:      index | report_imports | ix_report_imports_target_report_id | CREATE INDEX ix_report_imports_target_report_id ON public.report_imports USING btree (target_report_id)",
                "only in model:      index | report_imports | pk_report_imports | CREATE UNIQUE INDEX pk_report_imports ON public.report_imports USING btree (id)",
                "only in model:      index | report_parts | pk_report_parts | CREATE UNIQUE INDEX pk_report_parts ON public.report_parts USING btree (report_id, part_id)",
                "only in model:      index | report_snapshots | ix_report_snapshots_archive_import_id | CREATE INDEX ix_report_snapshots_archive_import_id ON public.report_snapshots USING btree (archive_import_id)",
                "only in model:      index | snapshot_parts | pk_snapshot_parts | CREATE UNIQUE INDEX pk_snapshot_parts ON public.snapshot_parts USING btree (snapshot_id, part_id)",
                "only in model:      index | text_fingerprints | ix_text_fingerprints_bands | CREATE INDEX ix_text_fingerprints_bands ON public.text_fingerprints USING gin (bands) WITH (fastupdate='false')",
                "only in model:      index | text_fingerprints | ix_text_fingerprints_year_agency_id | CREATE INDEX ix_text_fingerprints_year_agency_id ON public.text_fingerprints USING btree (year, agency_id)",
                "only in model:      index | text_fingerprints | pk_text_fingerprints | CREATE UNIQUE INDEX pk_text_fingerprints ON public.text_fingerprints USING btree (report_id, part_id)",
                "only in model:      table | consolidation_acceptances",
                "only in model:      table | consolidation_exclusions",
                "only in model:      table | login_failures",
                "only in model:      table | region_cell_deltas",
                "only in model:      table | region_cell_totals",
                "only in model:      table | reminder_recipients",
                "only in model:      table | reminders",
                "only in model:      table | report_imports",
                "only in model:      table | report_parts",
                "only in model:      table | snapshot_parts",
                "only in model:      table | text_fingerprints",
            ],
            SchemaSnapshot.Differences(schemaBefore, await SchemaSnapshot.ReadAsync(owner)));
        // No row is lost; report_imports starts empty. The one intended addition: each (2021) report now has the outline it printed (s1.opening,
        // （一）–（五）, 五, 六: 8 parts), and every text is kept as it was.
        Assert.Equal(new Dictionary<string, long>(rowsBefore) { ["report_parts"] = 8 * rowsBefore["reports"], ["snapshot_parts"] = 8 * rowsBefore["report_snapshots"], ["report_imports"] = 0,
            // text_fingerprints starts empty here: the app's own --migrate (DatabaseMigrator.MigrateAsync) fills it in.
            ["text_fingerprints"] = 0,
            // The consolidation tables start empty: a 全辖区 report takes its units' sums only when its clerk accepts them.
            ["consolidation_acceptances"] = 0, ["consolidation_exclusions"] = 0,
            // The region sums (issue 13) are backfilled: one row per region above a report's agency, year, cell and slot;
            // the changes staged for a commit are applied when it commits, so none is left.
            ["region_cell_deltas"] = 0,
            ["region_cell_totals"] = await ScalarAsync(owner, $"""
                WITH RECURSIVE chain AS (SELECT id AS base, id FROM regions UNION SELECT chain.base, r.parent_id FROM chain
                                         JOIN regions r ON r.id = chain.id WHERE r.parent_id IS NOT NULL)
                SELECT count(*) FROM (SELECT DISTINCT chain.id, rep.year, c.cell_id, rep.id % {GovInfoReports.Web.Publishing.RegionCellTotal.Slots}
                                      FROM report_cells c JOIN reports rep ON rep.id = c.report_id
                                      JOIN agencies a ON a.id = rep.agency_id JOIN chain ON chain.base = a.region_id) x
                """) },
            await RowCountsAsync(owner));
        // …and hold the sums of the reports kept: the county's equal those computed from its and its town's reports.
        Assert.Equal(0L, await ScalarAsync(owner, """
            WITH RECURSIVE sub AS (SELECT id FROM regions WHERE code = '410724' UNION ALL SELECT r.id FROM regions r JOIN sub ON r.parent_id = sub.id),
            expected AS (SELECT rep.year, c.cell_id, SUM(c.value) AS total, COUNT(*) AS reports FROM report_cells c
                         JOIN reports rep ON rep.id = c.report_id JOIN agencies a ON a.id = rep.agency_id
                         WHERE a.region_id IN (SELECT id FROM sub) GROUP BY 1, 2),
            kept AS (SELECT t.year, t.cell_id, SUM(t.total) AS total, SUM(t.reports) AS reports FROM region_cell_totals t
                     JOIN regions g ON g.id = t.region_id WHERE g.code = '410724' GROUP BY 1, 2 HAVING SUM(t.reports) > 0)
            SELECT (SELECT count(*) FROM (SELECT * FROM expected EXCEPT SELECT * FROM kept) m)
                 + (SELECT count(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM expected) x)
                 + (SELECT CASE WHEN count(*) = 0 THEN 1 ELSE 0 END FROM kept)
            """));
        Assert.NotEmpty(textsBefore);
        Assert.Equal(textsBefore, await TextsAsync(owner));
        await using var upgraded = new AppFactory(appConnection);
        var response = await CookieSession.Client(upgraded, cookies).GetAsync("/entry");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("获嘉县教育局", await response.Content.ReadAsStringAsync());
        await using var db = TestPostgres.Context(appConnection);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations().SkipWhile(m => m != LastHandWritten).Skip(1), (await db.Database.SqlQuery<string>($"""
            SELECT migration_id AS "Value" FROM "__EFMigrationsHistory" WHERE migration_id > {LastHandWritten} ORDER BY 1
            """).ToListAsync()));
    }

    private static async Task<Dictionary<string, long>> RowCountsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1", connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        var counts = new Dictionary<string, long>();
        foreach (var table in tables.Where(t => t != "__EFMigrationsHistory"))
            counts[table] = (long)(await new NpgsqlCommand($"SELECT count(*) FROM \"{table}\"", connection).ExecuteScalarAsync())!;
        return counts;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Every narrative text, with its report and part.</summary>
    private static async Task<List<string>> TextsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var texts = new List<string>();
        await using var command = new NpgsqlCommand("SELECT report_id || ' ' || part_id || ' ' || text FROM report_texts ORDER BY 1", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) texts.Add(reader.GetString(0));
        return texts;
    }

    private static async Task<string> KeyXmlAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return (string)(await new NpgsqlCommand("SELECT string_agg(xml, '') FROM data_protection_keys", connection).ExecuteScalarAsync())!;
    }
}
