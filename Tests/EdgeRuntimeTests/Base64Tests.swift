import EdgeRuntime
import Testing

/// `atob`, `btoa`, `Uint8Array.fromBase64` / `toBase64`: RFC 4648 section 10's vectors, and the
/// forgiving decode of the WHATWG Infra standard that JavaScript's `atob` uses.
@Suite struct Base64Tests {
    /// RFC 4648, section 10.
    static let vectors: [(String, String)] = [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ]

    @Test func rfc4648Vectors() throws {
        for (plain, encoded) in Self.vectors {
            #expect(try btoa(plain) == encoded)
            #expect(try atob(encoded) == plain)
            #expect([UInt8](plain.utf8).toBase64() == encoded)
            #expect(try [UInt8].fromBase64(encoded) == [UInt8](plain.utf8))
        }
    }

    @Test func atobForgivesMissingPaddingAndWhitespace() throws {
        #expect(try atob("Zm9vYg") == "foob")
        #expect(try atob(" Zm9v\nYmE\t") == "fooba")
        #expect(try atob("Zm9vYmFy") == "foobar")
    }

    @Test func atobRefusesWhatJavaScriptRefuses() {
        for bad in ["Zm9vY", "Zm9v=Yg", "Zm9-", "Zg===", "Z", "****"] {
            #expect(throws: DOMException.self, "\(bad)") { try atob(bad) }
        }
        do {
            _ = try atob("@")
            Issue.record("atob(\"@\") did not throw")
        } catch let error as DOMException {
            #expect(error.name == "InvalidCharacterError")
            #expect(error.message.hasPrefix("atob() called with invalid base64-encoded data."))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func binaryStringsRoundTripEveryByte() throws {
        let everything = String(String.UnicodeScalarView((0...255).map { Unicode.Scalar(UInt8($0)) }))
        let encoded = try btoa(everything)
        #expect(encoded.hasPrefix("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g"))
        #expect(encoded.hasSuffix("8PHy8/T19vf4+fr7/P3+/w=="))
        #expect(try atob(encoded) == everything)
    }

    @Test func btoaRefusesCharactersPastLatin1WithWorkersText() {
        do {
            _ = try btoa("汉字")
            Issue.record("btoa did not throw")
        } catch let error as DOMException {
            #expect(error.name == "InvalidCharacterError")
            #expect(error.message == "btoa() can only operate on characters in the Latin1 (ISO/IEC 8859-1) range.")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func base64urlAsJWTsUseIt() throws {
        // RFC 7515 appendix A.1: the JWS Protected Header {"typ":"JWT",\r\n "alg":"HS256"}.
        let header = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
        let bytes = try [UInt8].fromBase64(header, alphabet: .base64url)
        #expect(String(decoding: bytes, as: UTF8.self) == "{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}")
        #expect(bytes.toBase64(alphabet: .base64url, omitPadding: true) == header)
        #expect([UInt8]([0xFB, 0xFF]).toBase64(alphabet: .base64url, omitPadding: true) == "-_8")
        #expect([UInt8]([0xFB, 0xFF]).toBase64() == "+/8=")
        #expect(throws: DOMException.self) { try [UInt8].fromBase64("-_8", alphabet: .base64) }
    }
}
