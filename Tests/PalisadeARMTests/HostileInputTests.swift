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

    @Test func deepButLegalNestingEvaluates() throws {
        let deep = String(repeating: "[", count: 250) + "\"[add(1, 2)]\"" + String(repeating: "]", count: 250)
        let text = #"{"resources": [], "outputs": {"o": {"type": "array", "value": "# + deep + "}}}"
        let result = TemplateEvaluator.expand(try Fixtures.parse(text), file: "t.json")
        #expect(!result.diagnostics.hasErrors)
        var value = try #require(result.outputs["o"])
        for _ in 0..<249 { value = value.arrayValue?.first ?? .null }
        #expect(value == .array([.int(3)]))
        _ = result.renderJSON()
    }

    @Test func malformedTemplatesAreLocatedErrors() {
        let noType = TemplateEvaluator.expand(try! Fixtures.parse(#"{"resources": [{"name": "x"}]}"#), file: "t.json")
        #expect(noType.diagnostics.errors.contains { $0.code == "arm.resource-shape" && $0.location?.path == "resources[0]" })
        let badResources = TemplateEvaluator.expand(try! Fixtures.parse(#"{"resources": "nope"}"#), file: "t.json")
        #expect(badResources.diagnostics.errors.contains { $0.code == "arm.template-shape" })
        let parametersFile = ARMExpander.expand(template: Fixtures.path("arm/privateaml-ampls/ampls.parameters.json"))
        #expect(parametersFile.diagnostics.errors.contains { $0.message.contains("parameters file") })
        let notObject = TemplateEvaluator.expand(try! Fixtures.parse("[1, 2]"), file: "t.json")
        #expect(notObject.diagnostics.errors.contains { $0.code == "arm.template-shape" })
    }

    @Test func mutualReferencesTerminate() {
        let text = """
        {"resources": [
          {"type": "Microsoft.Network/routeTables", "apiVersion": "2023-04-01", "name": "a", "properties": {"x": "[reference('b').x]"}},
          {"type": "Microsoft.Network/routeTables", "apiVersion": "2023-04-01", "name": "b", "properties": {"x": "[reference('a').x]"}}]}
        """
        let result = TemplateEvaluator.expand(try! Fixtures.parse(text), file: "t.json")
        #expect(result.resources.count == 2)
        #expect(result.resources.allSatisfy { $0.properties["x"]?.isUnknown == true || $0.properties["x"]?.containsUnknown == true })
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
