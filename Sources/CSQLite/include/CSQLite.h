#ifndef EDGE_CSQLITE_H
#define EDGE_CSQLITE_H

// Edge's SQLite is the one sqlite-nio vendors (module VaporCSQLite, every symbol prefixed
// sqlite_nio_). Swift calls that API directly; this header adds only what Swift cannot call.
#include "sqlite_nio_sqlite3.h"

/// sqlite3_db_config(db, op, value, &previous) for the options that take one int and report the
/// setting (SQLITE_DBCONFIG_DEFENSIVE, SQLITE_DBCONFIG_DQS_DML, ...): sqlite3_db_config is
/// variadic, which Swift cannot call. `previous` may be NULL.
int edge_sqlite3_db_config_int(sqlite3 *db, int op, int value, int *previous);

#endif
