import EdgeRuntime
import Foundation
import Testing

/// RSA-OAEP and P-521 (ECDSA, ECDH), checked against Project Wycheproof's vectors as swift-crypto
/// carries them (`Tests/CryptoExtrasVectors/rsa_oaep_2048_sha256_mgf1sha256_test.json`,
/// `rsa_oaep_2048_sha1_mgf1sha1_test.json`, `Tests/Test Vectors/ecdsa_secp521r1_sha512_p1363_test.json`,
/// `ecdh_secp521r1_ecpoint_test.json`; tcId given beside each), with workerd's errors.
@Suite("Web Crypto: RSA-OAEP and P-521")
struct SubtleCryptoOAEPP521Tests {
    /// Wycheproof rsa_oaep_2048_sha256_mgf1sha256: the group's private key.
    static let oaep256JWK = JsonWebKey(
        kty: "RSA", alg: "RSA-OAEP-256",
        d: "difu81Z7KicmjlIFPs0xw6cXLMud3O6BmzBqWzxmt1c8pPqI78bzxKAL-grnE59kVDpNrD0Fgj9v9HfPzshP4qx6aLFyBLOQIy4RAxDE6JnE58EJZ9tKzeBC278Z2-ALS0dB3hAgqqr_tQVMeXyfE299k6w_yMr_ZlQkLXgh6-5Re_U39ENmoP3UWuBbmQnC5swe2Sge_0OZ92yWuWIz7CmuC78NdSsjT8GXOJ9RBQqhrNAcB0w6yPvbnqi2UalZlejbStXEO2yGc-WhJufulLjf9MWvwBJZvI2naVC65vi65xX1CYWw1vZtBMb-87cAcg7s3N8XG7ex7L5yicRnwQ",
        n: "orRRoH0KpfluRVZxUTVQUUqKW0YuvvcXCU-h_ugiJOY3-XRtP3yv0xh42AMltu9aFwD2WQO0aUKeidbqyIRQl7WrOTGJ25JRLtincRoSU_rNIPecFegkfz0-QuRuSMmOJUov6XZTE6A-_48X4aApOXofomqNzib0kO2BKZYV2YFMItphBCjgnH2WWFlCZvXAIdD87KCNlFoSvoLeTR7Oa0wDFFtdNJXU7VQR64eNrwX9evw-Ca2g8RJkIvWQl1oZaYFvSGmLy7obTZyuedRg2Pn4Xnl1AF2bwixOWsD3waRdElaaYoB9O5oC5aUw53MGb0U9H1tMLpz3ggKD90K51Q",
        e: "AQAB",
        p: "3EMQUPeC6JT7UkgkfZjLfVi40eJPO1XQQcVuTeCGsNW7AovaQu610jTVaB5YCdQV5qKJrUz794-Xj2w1gU9Q7r_xxbgKafeI6B5rq13ap4Np1lnRQ-xvF-eYE6V1z62cVpFWuQET4ukRCtnntIock0im5lMyEZEpDqNs-zpbGPE",
        q: "vRqB55d_mJgSInOuMiK1mOpfsZ606rw4MIpeMhlmA7LlAP-3n1uIaBZhHevEcvrEVUQHC-sFfJQTeKaGivO3oD0_mIDsR9XgiblPveVCq6mujXLFcIjXq_WxMfOQmPe8Fg-QU2q8lJL9Tgbz7XKZ1Ll7sDZ3IH2VZp8UDPvCDyU",
        dp: "qUtSiyjykVmRIdkZUv_Rx_IdfBR52Z1HiIX7Fhhw7hIYvwhHJhLb5Ul-jZxlBojgnHhpYa4-LDVNxIrjRRR1nEwjxFiEiJYdwGtBTmHA4ef7vSkj0xUy_iifltoiBxHljBQBmAjgBBQnaTO7B-TvubSps3ZWkXIFIJ8z8JUV18E",
        dq: "OvDnKpM67wn_JQPfeLr-1THAL_GivEN8VAzcvUrTVDXPURdjWWVDSAYpsRTKf3gP9--jLqDLbgANbZ6h8u9x_Zz5lIQioWVVfjfnVe3-cNkLkgUC60eLyYpj94jOOg-FbW7eclGjg7-o-kgKgaklr3s8xTjEurjJ91l_-2gBHY0",
        qi: "JkD7-8_vsWPueoe2SDpm7kH5VtkPqKeTm_wELuCSSxt5k9BEX3WNUZM-hRecAyCwyWi0ipHDi1vpI-EJfAxWL4jUIpS2onWbr6VCinTxJwh05F9vzGDyFgLeXszRQ88xJB9ZIbWtOYP7VO8XvjsoU2flDJmcZyR7VS_kv86UX3s")

    /// Wycheproof rsa_oaep_2048_sha1_mgf1sha1: the group's private key.
    static let oaep1JWK = JsonWebKey(
        kty: "RSA", alg: "RSA-OAEP",
        d: "B0fVIMqbLfwDNc-UMBFAuBAvuDjJLqmZF-NU4lcJYC3Aze8jH_Jq0t-rvDkecjBypO9Skp8_HPAhbkTACTAw-KwpCW-u8okzvJuSQocBTi6TXiFFvkdSzLgst2RicZNpecq3P1Ie6yeFWsKkEINK5Qguti72-Yme5cu2JKjYwEq37c94_hNdD4CPY7XebgcXeb8dnqr40--WVIbyxSYl5uV6ZRx7vQGXyZwFezhgoyYMhkoRs88iukTeOjs_MRfmTr-akfYm67Pzwm0bC7gHU0aNS_apl7KDNfIO2MOE11WDYKmul1VmH6N0mEaxdOa_Mw5S0JlB9szX3lAEd5-buQ",
        n: "vTHHoCaR0tlYfvapRv94hUTMrdSymIrWIIZ5Kmv5bIYWtK0TMX0icLkB0PzR2IDLj1L7hzBKUljBGzjf6ujfZwru5-odDZ344A6AhH5B5Zie1ALUTnizD-8XtWcdOtv4aF5NwgRJns0YY-HVr_KKfPZurfMf7JI2wSCt0TRRUixkfJgypnLNZNMowcMiGD9GYdCb2mC43V8DKNpUIIIUJK_auxqAxdEnY6GwI4zYnQdCv8ULai_LcB2CQhj5gm9PeKI6K1qkKs5_F1N2-2y9srrSk7pYPU0xxrj5Ap5GsTaJJJhV9QV1bgDiJaakWhh2m9jSs6SsufHCPT5RiCVh5Q",
        e: "AQAB",
        p: "_j0jjTdqOFbZWS_UlhwXp_sPo51ELp3yLn7aEVxkjFy3ON-J6pLYN4VY0NnBzz2L_3QNN0OgFApqdSPpF2wpU7LBHX9EaRz4vsKzT7WcZJU1mDMZSIEYwDEYrnRF5w30Zs6YZxJg8F1QaM53fal-K6hHeUkFAM60_39izsqaFH8",
        q: "voFK8mvzwnEVvHWV0NEqGvdxP-yod65ubYWIJe2j0ZJwR3T0Lhrhtn8XOejEWgR2OIBw-lRbfMlrikQAO8jQf95z9bzdGCaDldzChCtQI_8Us1I4Jge3F5peozCED8RQRdhuCsxP6xNfCrm3zmuOtfWldfKiqN4pnA0_UG30h5s",
        dp: "YbtM9FcuDPRN3vwFA6NO8LMRQvsMn8L1uyvmVjAnMtHdWQ6NbNAAL--hwb9Dwo_NRmjtP6ZOXgXXAKrKSse4Z0Va-STYPnP1pxcfaO_Oa9fz30sdWALQaek1rLJjwLtbjT2z1kN5YkzswS1FP9gs-UlaGGSaeMH9UA4_BHFbo68",
        dq: "Zknb6SCnqM65ghCM2auFdSdJiq5SorhpGKtrOBpKLLv5R5T3i03pxeilmvVtgHwG0j2869yhpvYrpPjwOymPMilKkDbRbCc53hzD4N200S8keUh7V4gq-iRsDil9r02UYHxeUbP0cV9cV9DybYZ5ASCdsCAQ0KVBKEZAqbnwY2M",
        qi: "Oexgb1yfHzPZZGBuEo6ekM_5MncsVxWqdZgW1QTv4sRiBvM3mqYdMfiOcmtQ3YC4zoVYoNdAhSX1jDOZzjLiOdcJQfEtIed2HAQ-CwIiDSX_0DVxx65bvVnDH0gSBnb518Nwp0nYSRvfzqAWYqE2yF00m2xxD8b26_inp5tircM")

    @Test func rsaOaepDecryptsWycheproofAndRoundTrips() async throws {
        let key = try await crypto.subtle.importKey(.jwk, Self.oaep256JWK, .rsaOaep(hash: "SHA-256"), true, [.decrypt, .unwrapKey])
        #expect(key.type == .private && key.usages == [.decrypt, .unwrapKey])
        #expect(key.algorithm.hash?.name == "SHA-256" && key.algorithm.modulusLength == 2048)
        // tcId 3: "Test".
        let ciphertext = hex("5eab3f0741e63986ed647d53e1cd71df041986900803d0f99c68355d249a15a47dc5b4f70a191477654299e5a2731f3b4eec76dea18262fc696ac794e5f66cbfcddac4472c578e246c26707598055584540b839836b1404c5611ae558a984cee8fd036cea924e0be2474a940f61e0acc14fcae95ebdc59942a9ce9af9a9c81999f7f6815f057ffdc2533cb15d6391d1e2d95f16f9c04209c889a4c359c7d2926d28a66e2b030a416b928d2825627998e5191fb4983a6e65024262d94fc09187a2d78162122433251d1bfcc8e507d06eba2d229c10031261da32ab8ccd15f1c5f9fbf07ed158483d736a110af4b44d6a4da60d6cb519b4454213cf9f0dc560f2b")
        #expect(try await crypto.subtle.decrypt(.rsaOaep(), key, ciphertext) == utf8("Test"))
        let sha1 = try await crypto.subtle.importKey(.jwk, Self.oaep1JWK, .rsaOaep(hash: "SHA-1"), false, [.decrypt])
        // tcId 3 of the SHA-1 file.
        #expect(try await crypto.subtle.decrypt(.rsaOaep(), sha1, hex("504b4e0d94d800a9da92be8fa84fc345f7ab4921ec53c073c79592b347a692cce2450135e998e07bb75ed7ee44f047f75a07e37b9c912d3d529b62bef144952d5b202246ad32c5d34ec8559c4163e2145fa5fd4d56de28cbfe7e537d5732305945c9370bbc6dcd72b3296fd54a2660365715f7d911099c96dfe6d114eec7b4425cb65701aa9e08d99c7ac20179656bb678554d74baca4501b5d0b366c97224bf0c8734e00ff2af8b916aef8b83142d5ec142493e0cc4c57326515a50a31ec2c6703512034642e5789649773d2f8312561bf2f2f6000cebdbf7c7a95fbfd0f721c31ba392acea37568a24f176767f71b31f407573deef95c305e0e063db0e9168")) == utf8("Test"))

        // The public half (as JWK, without the private members) encrypts; OAEP is randomised,
        // so the private key's decryption is the check.
        var publicJWK = Self.oaep256JWK
        (publicJWK.d, publicJWK.p, publicJWK.q, publicJWK.dp, publicJWK.dq, publicJWK.qi) = (nil, nil, nil, nil, nil, nil)
        let publicKey = try await crypto.subtle.importKey(.jwk, publicJWK, .rsaOaep(hash: "SHA-256"), true, [.encrypt, .wrapKey])
        let sealed = try await crypto.subtle.encrypt(.rsaOaep(), publicKey, utf8("a webhook secret"))
        #expect(sealed.count == 256)
        #expect(try await crypto.subtle.decrypt(.rsaOaep(label: []), key, sealed) == utf8("a webhook secret"))
        let exported = try await crypto.subtle.exportKey(.jwk, publicKey)
        #expect(exported.alg == "RSA-OAEP-256" && exported.n == Self.oaep256JWK.n)

        // wrapKey / unwrapKey go through the same cipher.
        let aes = try await crypto.subtle.generateKey(.init(name: "AES-GCM", length: 256), true, [.encrypt, .decrypt]) as CryptoKey
        let wrapped = try await crypto.subtle.wrapKey(.raw, aes, publicKey, .rsaOaep())
        let unwrapped = try await crypto.subtle.unwrapKey(.raw, wrapped, key, .rsaOaep(), .init(name: "AES-GCM"), true, [.encrypt])
        #expect(try await crypto.subtle.exportKey(.raw, aes) == crypto.subtle.exportKey(.raw, unwrapped))
    }

    @Test func rsaOaepGeneratesAPairAndRefusesWhatWorkersRefuses() async throws {
        let pair = try await crypto.subtle.generateKey(
            .init(name: "RSA-OAEP", hash: "SHA-1", modulusLength: 2048, publicExponent: [1, 0, 1]), false,
            [.encrypt, .decrypt]) as CryptoKeyPair
        #expect(pair.publicKey.usages == [.encrypt] && pair.privateKey.usages == [.decrypt])
        let sealed = try await crypto.subtle.encrypt(.rsaOaep(), pair.publicKey, utf8("hi"))
        #expect(try await crypto.subtle.decrypt(.rsaOaep(), pair.privateKey, sealed) == utf8("hi"))
        // workerd, rsa.c++ `RsaOaepKey::encrypt` / `decrypt` and `Rsa::cipher`.
        await expectDOMException("InvalidAccessError", "Requested key usage \"encrypt\" does not match any usage listed in this CryptoKey.") {
            _ = try await crypto.subtle.encrypt(.rsaOaep(), pair.privateKey, utf8("hi"))
        }
        let key = try await crypto.subtle.importKey(.jwk, Self.oaep256JWK, .rsaOaep(hash: "SHA-256"), false, [.decrypt])
        // tcId 12: the first byte of lHash modified.
        await expectDOMException("OperationError", "RSA-OAEP failed encrypt/decrypt.") {
            _ = try await crypto.subtle.decrypt(.rsaOaep(), key, hex("287d7108a1c6e7a18acb0045b20c57cdf2ac03456b44942764a7a9e9fdf3db481d7e202e4c8d733b56b9c1e93d71e791af8325c9363df789b252a5ed0eddc79e76fa41c2cb0a35618398217a390a5e6d99eed905d5554d19c1cf4e30bdf1c2fcc5148b641d71b3f1977b63d232648ddd935ec9499a53ac2fbcac55f462e91065adaa018a39c453ba759bd68b454074153421e2ce75cf149f748b5b84758df8a423d1c50c880af863f2a6df3cd465ca36aa2152b5771f3d507f4a4dd9f8006d80eca23537092287976f218a90df1e16d889fe31e79f7309f3224f613e9b52479fe73b7aad915319a3b62a5936649f7d015d7b09f7fa9f454f78a7c3dd4bf791e0"))
        }
        // tcId 30: a truncated ciphertext (BoringSSL's DATA_LEN_NOT_EQUAL_TO_MOD_LEN, as workerd words it).
        await expectDOMException("OperationError", "RSA-OAEP failed encrypt/decrypt: Invalid RSA signature.") {
            _ = try await crypto.subtle.decrypt(.rsaOaep(), key, hex("a290b0bf71a1141b2adc62b5b42b07fc52520cb05d1f39ccca7b7c22d379a6c2f2d93143d057050140527a1e5638243938b531ec3de7014b0151301e49b9fa433482a02abdfd94193dc9c70157e557776a69ded01ecbeac405133595c61165a428b6284729a4746b47d2bbaca9d7432c3b5693591cfee488eb3c68ddb6cde0dd61cfc6952423f994abecee34f5683732b29934a2c498ad48cdd30c149177189f48eefd9cc7232df18be11ff5f7e3af7319e3115997c599e2d8f7f4f663dcc40032d403436d3058a5ea66473660f0e195281ec6eba997d2a951ca6ca5f3c112715c89da1d3dfb20a21940594ed10ade90ed7452b753757d7241cb8a803c373a"))
        }
        await expectDOMException("OperationError", "RSA-OAEP failed encrypt/decrypt.") {
            _ = try await crypto.subtle.encrypt(.rsaOaep(), pair.publicKey, [UInt8](repeating: 7, count: 215))
        }
        await expectDOMException("SyntaxError", "Attempt to import private RSA-OAEP key with invalid usage \"sign\".") {
            _ = try await crypto.subtle.importKey(.jwk, Self.oaep256JWK, .rsaOaep(hash: "SHA-256"), false, [.sign])
        }
        await expectDOMException("DataError",
            "JSON Web Key Algorithm parameter \"alg\" (\"RSA-OAEP-256\") does not match requested hash algorithm \"RSA-OAEP-256\".") {
            _ = try await crypto.subtle.importKey(.jwk, Self.oaep256JWK, .rsaOaep(hash: "SHA-1"), false, [.decrypt])
        }
        // workerd's validateOperation comes first (crypto.c++), so an RSA-OAEP key never signs.
        await expectDOMException("InvalidAccessError", "Requested key usage \"sign\" does not match any usage listed in this CryptoKey.") {
            _ = try await crypto.subtle.sign(.init(name: "RSA-OAEP"), key, utf8("x"))
        }
        // What swift-crypto cannot do, Edge refuses and says so: tcId 9 carries a label.
        await expectDOMException("NotSupportedError", "Edge implements RSA-OAEP with an empty label only (swift-crypto takes none).") {
            _ = try await crypto.subtle.decrypt(.rsaOaep(label: hex("000102030405060708090a0b0c0d0e0f10111213")), key, hex("a0443ba434156d0b503ec662f5eb5b10e20ad0cb8233720ee187ba986e4811dd312844d3edb26bfaf51b4b9268dc3c76072dd47c199d713c91824da23ff00481ee69e9d4cc543120fc33b7244bf0c1ad5fdd1ae9cbada7fe9a70ad0afaaaad8361e8dc4b3198ae661a84e275b60bf2ebb85e512da785d2fc3482294fa11967681d7bceffc08ce0e36f0a8af7fcfb1337186863c2c1c1b94c9ec9785cd3d94d15437c23b775677f3d29a4c9e52f13398fd14661160e5868bca97625aa6c7ecb07bbb479644def353f1f01a4c4100f9adb82c4f6a265a5ee962da58c3c042aa549c9d2de3008e7448e0c4b9b4ac8f5e4d8629873909bb995ccc0825fe87d81d596"))
        }
        var unlabelled = Self.oaep256JWK
        unlabelled.alg = nil
        let sha512 = try await crypto.subtle.importKey(.jwk, unlabelled, .rsaOaep(hash: "SHA-512"), false, [.decrypt])
        await expectDOMException("NotSupportedError", "Edge implements RSA-OAEP with SHA-1 and SHA-256 only (swift-crypto's OAEP), not SHA-512.") {
            _ = try await crypto.subtle.decrypt(.rsaOaep(), sha512, hex("5eab3f0741e63986ed647d53e1cd71df041986900803d0f99c68355d249a15a47dc5b4f70a191477654299e5a2731f3b4eec76dea18262fc696ac794e5f66cbfcddac4472c578e246c26707598055584540b839836b1404c5611ae558a984cee8fd036cea924e0be2474a940f61e0acc14fcae95ebdc59942a9ce9af9a9c81999f7f6815f057ffdc2533cb15d6391d1e2d95f16f9c04209c889a4c359c7d2926d28a66e2b030a416b928d2825627998e5191fb4983a6e65024262d94fc09187a2d78162122433251d1bfcc8e507d06eba2d229c10031261da32ab8ccd15f1c5f9fbf07ed158483d736a110af4b44d6a4da60d6cb519b4454213cf9f0dc560f2b"))
        }
    }

    /// Wycheproof ecdsa_secp521r1_sha512_p1363: the group's public key.
    static let p521SigningJWK = JsonWebKey(
        kty: "EC", crv: "P-521",
        x: "AFxkV-wIjVMvSCCTllrlPM0H5VbtWeKvlFzYx6lcHGRPilaoqKPNdzkt3YYeipJNrJnGkGkJO9UqUvpsVgBKB0UI",
        y: "AHh41tQuS03R6cBpbLPhn2MDPD205g1HMlmz6-B5qvCphu5hd_ghenjGi4E_fhSaTlb9lWLAf-09iVlC19EBy4P2")

    @Test func p521EcdsaVerifiesWycheproofSignsAndExports() async throws {
        let key = try await crypto.subtle.importKey(.jwk, Self.p521SigningJWK, .ecdsa(namedCurve: "P-521"), true, [.verify])
        #expect(key.algorithm.namedCurve == "P-521")
        let message = hex("313233343030")
        // tcId 1 (valid) and tcId 4 (r replaced by n - r: invalid).
        #expect(try await crypto.subtle.verify(.ecdsa(hash: "SHA-512"), key, hex("004e4223ee43e8cb89de3b1339ffc279e582f82c7ab0f71bbde43dbe374ac75ffbef29acdf8e70750b9a04f66fda48351de7bbfd515720b0ec5cd736f9b73bdf864501d74a2f6d95be8d4cb64f02d16d6b785a1246b4ebd206dc596818bb953253245f5a27a24a1aae1e218fdccd8cd7d4990b666d4bf4902b84fdad123f941fe906d948"), message))
        #expect(try await crypto.subtle.verify(.ecdsa(hash: "SHA-512"), key, hex("01b1bddc11bc17347621c4ecc6003d861a7d07d3854f08e4421bc241c8b538a0040b27d9a7f54eba8ad17ad5916eaed487e87fb8786168eb5b51e438bd675558ddc40028b5d0926a4172b349b0fd2e929487a5edb94b142df923a697e7446acdacdba0a029e43d69111174dba2fe747122709a69ce69d5285e174a01a93022fea8318ac1"), message) == false)
        // The same key from the group's SPKI and as a raw point, exported back the same.
        let spki = try await crypto.subtle.importKey(.spki, hex("30819b301006072a8648ce3d020106052b810400230381860004005c6457ec088d532f482093965ae53ccd07e556ed59e2af945cd8c7a95c1c644f8a56a8a8a3cd77392ddd861e8a924dac99c69069093bd52a52fa6c56004a074508007878d6d42e4b4dd1e9c0696cb3e19f63033c3db4e60d473259b3ebe079aaf0a986ee6177f8217a78c68b813f7e149a4e56fd9562c07fed3d895942d7d101cb83f6"), .ecdsa(namedCurve: "P-521"), true, [.verify])
        let raw = try await crypto.subtle.exportKey(.raw, spki)
        let der = try await crypto.subtle.exportKey(.spki, key)
        #expect(raw.count == 133 && raw.first == 4)
        #expect(der == hex("30819b301006072a8648ce3d020106052b810400230381860004005c6457ec088d532f482093965ae53ccd07e556ed59e2af945cd8c7a95c1c644f8a56a8a8a3cd77392ddd861e8a924dac99c69069093bd52a52fa6c56004a074508007878d6d42e4b4dd1e9c0696cb3e19f63033c3db4e60d473259b3ebe079aaf0a986ee6177f8217a78c68b813f7e149a4e56fd9562c07fed3d895942d7d101cb83f6"))

        let pair = try await crypto.subtle.generateKey(.ecdsa(namedCurve: "P-521"), true, [.sign, .verify]) as CryptoKeyPair
        let signature = try await crypto.subtle.sign(.ecdsa(hash: "SHA-512"), pair.privateKey, utf8("order 42"))
        #expect(signature.count == 132)
        #expect(try await crypto.subtle.verify(.ecdsa(hash: "SHA-512"), pair.publicKey, signature, utf8("order 42")))
        let jwk = try await crypto.subtle.exportKey(.jwk, pair.privateKey)
        #expect(jwk.crv == "P-521" && jwk.d.map(base64url)?.count == 66)
        let reimported = try await crypto.subtle.importKey(.jwk, jwk, .ecdsa(namedCurve: "P-521"), false, [.sign])
        let again = try await crypto.subtle.sign(.ecdsa(hash: "SHA-512"), reimported, utf8("order 42"))
        #expect(try await crypto.subtle.verify(.ecdsa(hash: "SHA-512"), pair.publicKey, again, utf8("order 42")))
        await expectDOMException("DataError", "\"algorithm.namedCurve\" \"P-384\" does not match the curve specified by the input key data") {
            _ = try await crypto.subtle.importKey(.spki, hex("30819b301006072a8648ce3d020106052b810400230381860004005c6457ec088d532f482093965ae53ccd07e556ed59e2af945cd8c7a95c1c644f8a56a8a8a3cd77392ddd861e8a924dac99c69069093bd52a52fa6c56004a074508007878d6d42e4b4dd1e9c0696cb3e19f63033c3db4e60d473259b3ebe079aaf0a986ee6177f8217a78c68b813f7e149a4e56fd9562c07fed3d895942d7d101cb83f6"), .ecdsa(namedCurve: "P-384"), true, [.verify])
        }
    }

    @Test func p521EcdhDerivesWycheproofsSharedSecret() async throws {
        // ecdh_secp521r1_ecpoint tcId 1: the private scalar (with its public point, computed
        // from it for the JWK) and the peer's uncompressed point.
        let privateJWK = JsonWebKey(
            kty: "EC", crv: "P-521",
            x: "AfrISzjXMtrM_O-q2aF449BPLDDhnEkl0RLogjXBDAiANtTR6iUo9eAgA9pwNTMXBInGV21uHk0Pxz7sEmylWs2E",
            y: "AAkEthmdL26JCmVL4gyeZaQK0SAVcEOIGCL8Ut9BIORWOnzVkFwBZ41l6EXq6cZT4wP3nFI5EFUdIS-9fCXi0TRJ",
            d: "AZOZgrUpWWznepS8bv0D6SwhqEnrT4e49hnVBu_JuyLnxhZAyQ1Zj3lbZFZtxt9DmSrjShNB1FhXRECnNx9hHH3N")
        let mine = try await crypto.subtle.importKey(.jwk, privateJWK, .ecdh(namedCurve: "P-521"), false, [.deriveBits])
        let peer = try await crypto.subtle.importKey(.raw, hex("040064da3e94733db536a74a0d8a5cb2265a31c54a1da6529a198377fbd38575d9d79769ca2bdf2d4c972642926d444891a652e7f492337251adf1613cf3077999b5ce00e04ad19cf9fd4722b0c824c069f70c3c0e7ebc5288940dfa92422152ae4a4f79183ced375afb54db1409ddf338b85bb6dbfc5950163346bb63a90a70c5aba098f7"), .ecdh(namedCurve: "P-521"), true, [])
        let shared = try await crypto.subtle.deriveBits(.ecdh(public: peer), mine, nil)
        #expect(shared == hex("01f1e410f2c6262bce6879a3f46dfb7dd11d30eeee9ab49852102e1892201dd10f27266c2cf7cbccc7f6885099043dad80ff57f0df96acf283fb090de53df95f7d87"))
        await expectDOMException("OperationError", "Derived key length (536 bits) is too long (should be at most 528 bits).") {
            _ = try await crypto.subtle.deriveBits(.ecdh(public: peer), mine, 536)
        }
    }
}
