import Foundation
import Testing
@testable import PalisadeARM

/// Hostile or random input never crashes or hangs; it produces located errors.
@Suite struct HostileInputTests {
    @Test func deeplyNestedExpressionIsRejected() throws {
        let deep = "[" + String(repeating: "concat(", count: 5000) + "'x'" + String(repeating: ")", count: 5000) + "]"
        let (_, diagnostics) = ExpressionTests.eval(deep)
        #expect(diagnostics.errors.contains { $0.code == "arm.syntax" })
    }

    @Test func explosiveLambdasHitTheBudget() {
        let bomb = "[length(map(range(0, 10000), lambda('i', map(range(0, 10000), lambda('j', 1)))))]"
        let text = #"{"resources": [], "outputs": {"o": {"type": "int", "value": "\#(bomb)"}}}"#
        var options = EvaluationOptions()
        options.maxEvaluationSteps = 200_000
        let result = TemplateEvaluator.expand(try! Fixtures.parse(text), file: "t.json", options: options)
        #expect(result.diagnostics.errors.contains { $0.code == "arm.evaluation-budget" })
    }

    @Test func randomBytesNeverCrashTheParsers() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("{}[]\",:'()tfn0123456789.-eE \\u\n[[abc".utf8)
        for _ in 0..<2000 {
            let length = Int.random(in: 0..<80, using: &generator)
            let bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
            var parser = JSONParser(maxDepth: 32)
            _ = try? parser.parse(bytes: bytes)
            _ = try? ExpressionParser.classify("[" + String(decoding: bytes, as: UTF8.self) + "]")
        }
    }

    @Test func selfReferencingCopyIsAnError() {
        let text = """
        {"resources": [{"type": "Microsoft.Network/routeTables", "apiVersion": "2023-04-01", "name": "[concat('rt', copyIndex())]",
          "copy": {"name": "loop", "count": "[copyIndex('loop')]"}}]}
        """
        let result = TemplateEvaluator.expand(try! Fixtures.parse(text), file: "t.json")
        #expect(result.diagnostics.errors.contains { $0.code == "arm.copy-index" })
    }
}
