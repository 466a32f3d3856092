#include "CSQLite.h"

int edge_sqlite3_db_config_int(sqlite3 *db, int op, int value, int *previous) {
    return sqlite_nio_sqlite3_db_config(db, op, value, previous);
}
