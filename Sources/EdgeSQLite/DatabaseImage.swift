import VaporCSQLite

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A database's file image, copied with SQLite's online backup API (sqlite.org/backup.html).
///
/// `sqlite3_serialize` would hand the pages over in memory, but sqlite-nio's SQLite omits it
/// (`SQLITE_OMIT_DESERIALIZE`). The backup copies every page of `main`, committed WAL frames
/// included, into a new file under the temporary directory (`TMPDIR`, else `/tmp`), which is
/// read and removed.
enum DatabaseImage {
    static func copy(of source: OpaquePointer) throws(SQLiteError) -> [UInt8] {
        let directory = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(directory)/edge-sqlite-image-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw SQLiteError(code: SQLITE_CANTOPEN, message: "unable to create a temporary file in \(directory)")
        }
        close(descriptor)
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(path) }

        var target: OpaquePointer?
        let opened = sqlite_nio_sqlite3_open_v2(path, &target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
        guard opened == SQLITE_OK, let target else {
            let error = SQLiteError(result: opened, db: target)
            sqlite_nio_sqlite3_close_v2(target)
            throw error
        }
        guard let backup = sqlite_nio_sqlite3_backup_init(target, "main", source, "main") else {
            let error = SQLiteError(result: sqlite_nio_sqlite3_errcode(target), db: target)
            sqlite_nio_sqlite3_close_v2(target)
            throw error
        }
        let stepped = sqlite_nio_sqlite3_backup_step(backup, -1)
        let finished = sqlite_nio_sqlite3_backup_finish(backup)
        guard stepped == SQLITE_DONE, finished == SQLITE_OK else {
            let error = SQLiteError(result: stepped == SQLITE_DONE ? finished : stepped, db: target)
            sqlite_nio_sqlite3_close_v2(target)
            throw error
        }
        sqlite_nio_sqlite3_close_v2(target)
        return try readFile(path)
    }

    private static func readFile(_ path: String) throws(SQLiteError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw SQLiteError(code: SQLITE_CANTOPEN, message: "unable to read the database image") }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SQLiteError(code: SQLITE_IOERR, message: "unable to read the database image")
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }
}
