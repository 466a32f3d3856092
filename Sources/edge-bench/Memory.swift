import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// This process's memory and open files, and its open-file limit.
enum Memory {
    /// Resident set size of this process in bytes.
    static func resident() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// RSS after glibc's `malloc_trim(0)` has returned free heap pages to the system, so that
    /// memory freed by earlier figures does not hide (or pad) a delta.
    static func residentAfterTrim() -> Int {
        trim()
        return resident()
    }

    private static func trim() {
        typealias MallocTrim = @convention(c) (Int) -> Int32
        guard let program = dlopen(nil, RTLD_NOW) else { return }
        defer { dlclose(program) }
        guard let symbol = dlsym(program, "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
    }

    /// Open file descriptors of this process.
    static func openFileDescriptors() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
    }

    /// Raises the soft (and, when allowed, the hard) limit on open files to `wanted`; returns
    /// the soft limit in effect afterwards.
    @discardableResult
    static func raiseFileLimit(to wanted: Int) -> Int {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        if limit.rlim_cur >= rlim_t(wanted) { return Int(limit.rlim_cur) }
        var raised = limit
        raised.rlim_cur = rlim_t(wanted)
        raised.rlim_max = max(limit.rlim_max, rlim_t(wanted))
        if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) != 0 {
            raised.rlim_cur = limit.rlim_max
            raised.rlim_max = limit.rlim_max
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised)
        }
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        return Int(limit.rlim_cur)
    }
}

