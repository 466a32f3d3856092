/// A key as `exportKey` produces it.
enum ExportData {
    case bytes([UInt8])
    case jwk(JsonWebKey)
}

extension SubtleCrypto {
    /// `crypto.subtle.exportKey(format, key)`: bytes for `.raw`, `.spki` and `.pkcs8`, a
    /// `JsonWebKey` for `.jwk`.
    public func exportKey<KeyData>(_ format: KeyFormat<KeyData>, _ key: CryptoKey) async throws -> KeyData {
        guard key.extractable else {
            // workerd, crypto.c++ `SubtleCrypto::exportKey`.
            throw DOMException.invalidAccess("Attempt to export non-extractable \(key.algorithm.name) key.")
        }
        let exported = try key.export(format.name)
        switch exported {
        case .bytes(let bytes as KeyData), .jwk(let bytes as KeyData):
            return bytes
        default:
            throw TypeError("exportKey: \"\(format.name)\" gives neither bytes nor a JsonWebKey.")
        }
    }
}
