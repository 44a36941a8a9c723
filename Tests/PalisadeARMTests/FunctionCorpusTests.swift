import Foundation
import Testing
@testable import PalisadeARM

/// Runs every documented example in `fixtures/arm-functions` through the evaluator.
@Suite struct FunctionCorpusTests {
    struct Outcome { var passed = 0; var failures: [String] = [] }

    static func run() throws -> Outcome {
        let dir = Fixtures.path("arm-functions")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".json") }.sorted()
        var outcome = Outcome()
        for file in files {
            let text = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
            let case_ = try Fixtures.parse(text)
            guard let template = case_["template"], let expected = case_["expectedOutputs"]?.members else { continue }
            var options = EvaluationOptions()
            for p in case_["parameters"]?.members ?? [] { options.parameters[p.key] = p.value.value }
            let result = TemplateEvaluator.expand(template, file: file, options: options)
            let id = case_["id"]?.stringValue ?? file
            for e in expected {
                var accepted = [e.value.value]
                accepted += (case_["alternatives"]?[e.key]?.elements ?? []).map(\.value)
                let actual = result.outputs.entries.first { $0.key == e.key }?.value
                if let actual, accepted.contains(where: { Fixtures.same(actual, $0) }) {
                    outcome.passed += 1
                } else {
                    let diag = result.diagnostics.errors.map(\.description).joined(separator: "; ")
                    outcome.failures.append("\(id).\(e.key): got \(actual.map { ARMText.compactJSON($0) } ?? "nothing"), expected \(ARMText.compactJSON(e.value.value)) \(diag)")
                }
            }
        }
        return outcome
    }

    @Test func everyDocumentedExampleMatches() throws {
        let outcome = try Self.run()
        for f in outcome.failures { Issue.record(Comment(rawValue: f)) }
        // 180 documented values, all Azure's: every one must match.
        #expect(outcome.passed == 180)
        #expect(outcome.failures.isEmpty)
    }

    @Test func hashesAreAzures() throws {
        // Azure's uniqueString is 13 base-32 characters; guid is a version-5 UUID under ARM's namespace.
        #expect(ARMHash.uniqueString(["One"]).count == 13)
        #expect(ARMHash.uniqueString(["One"]).allSatisfy { "abcdefghijklmnopqrstuvwxyz234567".contains($0) })
        #expect(ARMHash.guid(["abc"]) == "a9b46cc2-65a6-5559-9f14-7091827ab32f")
        #expect(ARMHash.sha1(Array("abc".utf8)).map { String(format: "%02x", $0) }.joined() == "a9993e364706816aba3e25717850c26c9cd0d89d")
    }
}
