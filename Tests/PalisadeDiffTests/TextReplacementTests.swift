import PalisadeRules
import Testing

/// The text replacement a verified spec fix carries turns the original file into exactly the edited one.
@Suite struct TextReplacementTests {
    @Test func changedValueReplacesItsLineOnly() throws {
        let original = "# env\nworkspace:\n  publicNetworkAccess: true   # for a test\nkeyVault: {purgeProtection: false}\n"
        let edited = "# env\nworkspace:\n  publicNetworkAccess: false   # for a test\nkeyVault: {purgeProtection: false}\n"
        let replacement = try #require(TextReplacement.between(original, edited, file: "env.yaml"))
        #expect(replacement == TextReplacement(file: "env.yaml", startLine: 3, startColumn: 1, endLine: 4, endColumn: 1,
                                               insertedText: "  publicNetworkAccess: false   # for a test\n"))
        #expect(replacement.applied(to: original) == edited)
    }

    @Test func insertedKeyIsAnInsertionPoint() throws {
        let original = "workspace:\n  name: mlw\nstorage: {}\n"
        let edited = "workspace:\n  name: mlw\n  publicNetworkAccess: false\nstorage: {}\n"
        let replacement = try #require(TextReplacement.between(original, edited, file: "a.yaml"))
        #expect(replacement.startLine == 3 && replacement.endLine == 3 && replacement.startColumn == 1 && replacement.endColumn == 1)
        #expect(replacement.applied(to: original) == edited)
    }

    @Test func changeAtTheEndWithoutFinalLineBreak() throws {
        let original = "a: 1\nb: ä"
        let edited = "a: 1\nb: ö\nc: 2"
        let replacement = try #require(TextReplacement.between(original, edited, file: "a.yaml"))
        #expect(replacement.startLine == 1 && replacement.startColumn == 5)
        #expect(replacement.applied(to: original) == edited)
        #expect(TextReplacement.between(original, original, file: "a.yaml") == nil)
    }

    /// CRLF files get no patch: a SARIF consumer counts the break as two characters, Swift as one.
    @Test func crlfTextsAreNotPatched() {
        #expect(TextReplacement.between("a: 1\r\nb: 2\r\n", "a: 1\r\nb: 3\r\n", file: "f") == nil)
    }

    /// Random line edits (replace, insert, delete, at any place, with and without a final break) round-trip.
    @Test func randomEditsRoundTrip() throws {
        var generator = SplitMix(state: 42)
        let pool = ["a: 1", "b: 2", "  c: [x, y]", "", "# note", "d: ü"]
        for _ in 0..<2_000 {
            var lines = (0..<Int(generator.next() % 6)).map { _ in pool[Int(generator.next() % UInt64(pool.count))] }
            let original = lines.joined(separator: "\n") + (generator.next() % 2 == 0 ? "\n" : "")
            for _ in 0...Int(generator.next() % 3) {
                let at = lines.isEmpty ? 0 : Int(generator.next() % UInt64(lines.count + 1))
                switch generator.next() % 3 {
                case 0 where at < lines.count: lines[at] = pool[Int(generator.next() % UInt64(pool.count))] + " changed"
                case 1 where at < lines.count: lines.remove(at: at)
                default: lines.insert(pool[Int(generator.next() % UInt64(pool.count))], at: at)
                }
            }
            let edited = lines.joined(separator: "\n") + (generator.next() % 2 == 0 ? "\n" : "")
            let replacement = TextReplacement.between(original, edited, file: "f")
            #expect((replacement?.applied(to: original) ?? original) == edited, "\(original.debugDescription) → \(edited.debugDescription)")
        }
    }
}
