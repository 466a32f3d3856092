import Foundation

/// The name of a file or folder inside a state directory, made from a name the user wrote
/// (`database_name`, a worker's `name`): any name works and stays one path component.
///
/// Miniflare never puts a user's name in a path (it hashes it with `idFromName`); Edge keeps names
/// readable and existing state where it was:
/// - a name that is already safe is used as written: not empty, not starting with `.`, at most
///   200 UTF-8 bytes, with no `/`, `\`, `%`, `:` or control characters (`counterfire`,
///   `my-db`, `données`);
/// - the empty name is `%`;
/// - any other name is escaped: each UTF-8 byte of those characters, and a leading `.`, becomes
///   `%XX` (`../../x` is `%2E.%2F..%2Fx`, `my/ Database` is `my%2F Database`);
/// - an escaped name over 200 bytes keeps its first 120 and ends with `%sha256-` and the hex
///   SHA-256 of the whole name, so it fits any file system's 255-byte limit with `.sqlite-shm`.
///
/// The three forms cannot meet: safe names hold no `%`, escapes are `%` and two uppercase hex
/// digits, and `%s` is no escape.
package enum StateFileName {
    static let limit = 200

    /// The path component for `name`.
    package static func component(for name: String) -> String {
        if isSafe(name) { return name }
        if name.isEmpty { return "%" }
        let chunks = name.enumerated().map { index, character in
            (index == 0 && character == ".") || !isSafe(character)
                ? character.utf8.map { String(format: "%%%02X", $0) }.joined() : String(character)
        }
        let escaped = chunks.joined()
        guard escaped.utf8.count > limit else { return escaped }
        var prefix = ""
        for chunk in chunks {
            guard prefix.utf8.count + chunk.utf8.count <= 120 else { break }
            prefix += chunk
        }
        let digest = SubtleCrypto().digest(.sha256, Array(name.utf8)).map { String(format: "%02x", $0) }.joined()
        return prefix + "%sha256-" + digest
    }

    private static func isSafe(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && name.utf8.count <= limit && name.allSatisfy(isSafe)
    }

    private static func isSafe(_ character: Character) -> Bool {
        character.unicodeScalars.allSatisfy { scalar in
            !["/", "\\", "%", ":"].contains(scalar) && scalar.properties.generalCategory != .control
        }
    }
}
