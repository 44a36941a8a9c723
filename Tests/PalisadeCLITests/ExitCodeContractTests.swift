import Foundation
import Testing

/// The exit-code contract over a corpus of mutated inputs run through the built CLI: 0, 1 or 2 only, never a
/// signal, never longer than 10 s (3 is reserved for genuine internal errors, which none of these are).
@Suite struct ExitCodeContractTests {
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let payloads = [
        "[add(9223372036854775807, 1)]", "[padLeft('x', 2000000000)]", "[range(9223372036854775807, 2)]",
        "[div(-9223372036854775808, -1)]", "[format('{0,999999999}', 1)]", "[dateTimeFromEpoch(-9223372036854775808)]",
        "[int(json('1e300'))]", "[substring('a', -9223372036854775808)]", "[concat(", "99999999999999999999", "-1", "801",
        "\\u0000", "\u{FFFF}", "&a [*a, *a, *a]", "{\"copy\": {\"name\": \"c\", \"count\": 800}}",
    ]

    /// A text-level mutation: splice a payload in, delete or duplicate a slice, or insert a byte that is not UTF-8.
    static func mutate(_ bytes: [UInt8], _ g: inout Generator) -> [UInt8] {
        guard !bytes.isEmpty else { return Array(payloads[0].utf8) }
        var out = bytes
        let at = Int.random(in: 0..<out.count, using: &g)
        switch Int.random(in: 0..<5, using: &g) {
        case 0:
            let payload = Array(payloads[Int.random(in: 0..<payloads.count, using: &g)].utf8)
            out.replaceSubrange(at..<min(out.count, at + Int.random(in: 0...8, using: &g)), with: payload)
        case 1: out.removeSubrange(at..<min(out.count, at + Int.random(in: 1...64, using: &g)))
        case 2: out.insert(contentsOf: out[at..<min(out.count, at + Int.random(in: 1...256, using: &g))], at: at)
        case 3: out.insert(0xFF, at: at)
        default:
            // Replace the contents of the next quoted string with an expression payload.
            guard let open = out[at...].firstIndex(of: 0x22), let close = out[(open + 1)...].firstIndex(of: 0x22) else { break }
            out.replaceSubrange((open + 1)..<close, with: Array(payloads[Int.random(in: 0..<9, using: &g)].utf8))
        }
        return out
    }

    @Test func mutatedInputsKeepTheExitCodeContract() throws {
        let fixtures = CLITests.repository.deletingLastPathComponent().appendingPathComponent("shared/fixtures")
        let seeds = [
            "examples/hub.yaml", "examples/privateaml.yaml", "examples/managed-vnet.yaml",
        ].map { CLITests.repository.appendingPathComponent($0) } + [
            "arm/privateaml-ampls/ampls.json", "arm/avm-network-security-group/main.json", "arm-extra/aml-workspace-vnet/azuredeploy.json",
        ].map { fixtures.appendingPathComponent($0) }
        let readable = seeds.filter { FileManager.default.fileExists(atPath: $0.path) }
        try #require(readable.count >= 4)
        let directory = try Runner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var g = Generator(state: 0xC0DE_0015)
        var runs = 0
        for (n, seed) in readable.enumerated() {
            let original = [UInt8](try Data(contentsOf: seed))
            for k in 0..<8 {
                var bytes = original
                for _ in 0..<Int.random(in: 1...3, using: &g) { bytes = Self.mutate(bytes, &g) }
                let file = directory.appendingPathComponent("mutant-\(n)-\(k).\(seed.pathExtension)")
                try Data(bytes).write(to: file)
                let command = k % 2 == 0 ? ["check", file.path, "--placeholders"] : ["plan", file.path, "--placeholders"]
                let outcome = try Runner.run(command, timeout: 10)
                runs += 1
                #expect(!outcome.signalled && !outcome.timedOut, "\(command): signal or hang; input kept at \(file.path)")
                #expect((0...2).contains(outcome.status), "\(command) exited \(outcome.status): \(outcome.stderr.suffix(400))")
            }
        }
        #expect(runs >= 32)
    }
}
