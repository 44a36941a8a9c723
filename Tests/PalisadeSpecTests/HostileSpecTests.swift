import Foundation
import PalisadeModel
import PalisadeSpec
import Testing

/// Hostile YAML found by the fuzzer, and bytes that are not text, end in located errors, never a crash.
@Suite struct HostileSpecTests {
    @Test(arguments: [
        // The fuzzer's reproducer: an unknown key holding '[' without ']' trapped while the key path was located.
        "{\n\"h  c$esma-9[reduce(223372q36854H75808ion\": \"0.4\"\n}\n",
        "network:\n  \"subnets[-1\": {}\n",
        "network:\n  \"[\": 1\n",
        "\"a[0][\": 1\n",
    ])
    func unknownKeysWithBracketsAreLocated(yaml: String) throws {
        let (design, diagnostics) = SpecLoader().design(yaml: yaml, file: "hostile.yaml")
        #expect(design == nil)
        let error = try #require(diagnostics.errors.first)
        #expect(error.location?.file == "hostile.yaml")
        #expect(error.location?.line != nil)
    }

    @Test func bytesThatAreNotUTF8AreLocated() throws {
        let (design, diagnostics) = SpecLoader().design(data: Data([0x6E, 0x61, 0x6D, 0x65, 0x3A, 0x20, 0x0A, 0x61, 0x3A, 0x20, 0x62, 0xC3, 0x28]), file: "latin.yaml")
        #expect(design == nil)
        let error = try #require(diagnostics.errors.first)
        #expect(error.code == "spec.encoding")
        #expect(error.location?.line == 2 && error.location?.column == 5)
    }

    @Test func readerErrorsNameTheFileAndPosition() throws {
        let (_, diagnostics) = SpecLoader().design(yaml: "name: ok\nregion: a\u{01}b\n", file: "control.yaml")
        let error = try #require(diagnostics.errors.first)
        #expect(error.location?.file == "control.yaml")
        #expect(error.location?.line == 2)
    }

    @Test func unreadableFilesSayWhyInWords() throws {
        let missing = SpecLoader().design(file: "/nonexistent/spec.yaml").diagnostics.errors.first
        #expect(missing?.message.contains("No such file or directory") == true)
        let directory = SpecLoader().design(file: "/tmp").diagnostics.errors.first
        #expect(directory?.message.contains("is a directory") == true)
    }
}
