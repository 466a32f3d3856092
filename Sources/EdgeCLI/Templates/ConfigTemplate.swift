extension InitProject {
    /// `wrangler-like.toml`: wrangler.toml's fields, read by `edge dev` and by the tests.
    var config: String {
        #"""
        # \#(name) on Edge. The fields are wrangler.toml's own (see Edge's README, "Configuration").
        name = "\#(name)"
        main = "Sources/\#(moduleName)/\#(workerType).swift"
        compatibility_date = "\#(compatibilityDate)"

        # env.DB; `edge dev` applies the migrations in migrations/ at start. Deploying with wrangler
        # needs the database_id that `wrangler d1 create \#(name)` prints.
        [[d1_databases]]
        binding = "DB"
        database_name = "\#(name)"
        migrations_dir = "migrations"

        # env.ROOM: one Room per chat room, SQLite-backed.
        [durable_objects]
        bindings = [{ name = "ROOM", class_name = "Room" }]

        [[migrations]]
        tag = "v1"
        new_sqlite_classes = ["Room"]

        # Files in public/ are served before the worker runs.
        [assets]
        directory = "public"

        [dev]
        ip = "127.0.0.1"
        port = 8787

        """#
    }

    /// `migrations/0001_create_visits.sql`, with the header `edge d1 migrations create` writes.
    var migration: String {
        """
        -- Migration number: 0001 \t \(migrationTimestamp)
        CREATE TABLE visits (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            path TEXT NOT NULL
        );

        """
    }

    /// `.gitignore`: build products and the local state `edge dev` keeps.
    var gitignore: String {
        """
        .build/
        .edge/
        .swiftpm/

        """
    }
}
