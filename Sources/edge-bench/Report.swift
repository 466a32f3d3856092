import Foundation

/// One row of the table: a figure, its baseline from the same run, and how it compares with
/// its target.
struct Figure: Encodable, Sendable {
    enum Verdict: String, Encodable, Sendable {
        case pass, miss
        /// A row without a target (the scaling rows).
        case info
        /// Not measured in this run; `result` says why.
        case skipped
    }

    /// The figure's name, as in the issue.
    var figure: String
    /// The measured value, formatted.
    var result: String
    /// The baseline measured in the same run, formatted ("-" when the figure has none).
    var baseline: String = "-"
    /// result / baseline (or the ratio the target is stated in), formatted.
    var ratio: String = "-"
    /// The target, as in the issue.
    var target: String = "-"
    var verdict: Verdict = .info
    /// The headline number, its unit, and the numbers behind the other columns.
    var value: Double?
    var unit: String = ""
    var baselineValue: Double?
    var ratioValue: Double?
    /// Rounds (or samples) the medians were taken over.
    var rounds: Int = 0
    /// What else was measured: spread, other percentiles, how it was measured.
    var detail: String = ""
}

/// The run's figures, printed as one table or as JSON.
struct Report: Encodable, Sendable {
    var command: String
    var rounds: Int
    var quick: Bool
    var cores: Int
    /// `/proc/loadavg`'s one-minute figure when the run started and when it ended: on a shared
    /// machine, how busy the rest of it was.
    var loadAverage: [Double] = []
    var seconds: Double = 0
    var figures: [Figure] = []

    func table() -> String {
        let header = ["figure", "result", "baseline", "ratio", "target", "pass/miss"]
        let rows = figures.map { [$0.figure, $0.result, $0.baseline, $0.ratio, $0.target, $0.verdict.rawValue] }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            "| " + cells.enumerated().map { index, cell in cell.padding(toLength: widths[index], withPad: " ", startingAt: 0) }
                .joined(separator: " | ") + " |"
        }
        var lines = [line(header), "|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|"]
        lines += rows.map(line)
        return lines.joined(separator: "\n")
    }

    func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }
}

/// Number formatting for the table.
enum Format {
    static func number(_ value: Double, digits: Int = 0) -> String {
        guard value.isFinite else { return "n/a" }
        return String(format: "%.\(digits)f", value)
    }

    /// 12 345 rather than 12345: thin groups of three, as the issue writes figures.
    static func grouped(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        let text = String(Int(value.rounded()))
        var out = ""
        for (index, character) in text.reversed().enumerated() {
            if index > 0, index % 3 == 0, character != "-" { out.append(" ") }
            out.append(character)
        }
        return String(out.reversed())
    }

    static func ms(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        return value < 10 ? String(format: "%.2f ms", value) : String(format: "%.1f ms", value)
    }

    static func us(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        return value < 100 ? String(format: "%.1f µs", value) : String(format: "%.0f µs", value)
    }

    static func ratio(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        return String(format: "%.2fx", value)
    }

    static func kib(_ bytes: Double) -> String {
        guard bytes.isFinite else { return "n/a" }
        return String(format: "%.1f KiB", bytes / 1024)
    }
}

/// Progress lines go to stderr, so stdout holds only the table (or the JSON).
func progress(_ message: String) {
    FileHandle.standardError.write(Data("edge-bench: \(message)\n".utf8))
}

/// Writes a line to stdout at once (the table, the soak's lines, the client process's answers).
func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// The one-minute load average (`/proc/loadavg`).
func loadAverage() -> Double {
    let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
    return Double(text.split(separator: " ").first ?? "") ?? .nan
}
