import Testing
@testable import HonorsCore

@Suite struct Base32Tests {
    @Test("RFC 4648 test vectors, both ways")
    func vectors() {
        let cases = [("", ""), ("f", "MY======"), ("fo", "MZXQ===="), ("foo", "MZXW6==="), ("foob", "MZXW6YQ="),
                     ("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI======")]
        for (plain, encoded) in cases {
            #expect(Base32.encode(Array(plain.utf8)) == encoded)
            #expect(Base32.decode(encoded) == Array(plain.utf8))
        }
    }

    @Test("decoding takes a secret as people copy it; anything else is refused")
    func copied() {
        #expect(Base32.decode("mzxw 6ytb-oi") == Array("foobar".utf8))
        #expect(Base32.encode(Array("foobar".utf8), padded: false) == "MZXW6YTBOI")
        #expect(Base32.decode("MZXW1") == nil, "1 is not in the alphabet")
        #expect(Base32.decode("MZ零") == nil)
    }
}
