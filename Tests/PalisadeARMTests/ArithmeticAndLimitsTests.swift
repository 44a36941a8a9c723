import Foundation
import Testing
import PalisadeModel
@testable import PalisadeARM

/// Arithmetic on user values never traps: overflow, out-of-range dates and huge format widths fail with a located
/// error, as Azure fails the deployment.
@Suite struct ArithmeticTrapTests {
    @Test(arguments: [
        ("[add(9223372036854775807, 1)]", "arm.overflow"),
        ("[sub(-9223372036854775808, 1)]", "arm.overflow"),
        ("[mul(9223372036854775807, 2)]", "arm.overflow"),
        ("[div(-9223372036854775808, -1)]", "arm.overflow"),
        ("[mod(-9223372036854775808, -1)]", "arm.overflow"),
        ("[int(json('1e300'))]", "arm.overflow"),
        ("[int(json('-1e19'))]", "arm.overflow"),
        ("[add(99999999999999999999, 1)]", "arm.syntax"),
        ("[range(9223372036854775807, 2)]", "arm.range"),
        ("[range(2147483647, 1)]", "arm.range"),
        ("[range(0, 10001)]", "arm.range"),
        ("[padLeft('a', 9223372036854775807)]", "arm.value-too-large"),
        ("[padLeft('a', -9223372036854775808)]", "arm.range"),
        ("[substring('abc', 9223372036854775807, 1)]", "arm.range"),
        ("[substring('abc', 1, 9223372036854775807)]", "arm.range"),
        ("[substring('abc', -9223372036854775808)]", "arm.range"),
        ("[dateTimeAdd('2020-01-01', 'P99999999999999999999Y')]", "arm.date"),
        ("[dateTimeAdd('2020-01-01', 'PT99999999999999999999S')]", "arm.date"),
        ("[dateTimeAdd('9999-12-31', 'P1D')]", "arm.date"),
        ("[dateTimeAdd('0001-01-01', '-P1D')]", "arm.date"),
        ("[dateTimeFromEpoch(-9223372036854775808)]", "arm.date"),
        ("[dateTimeFromEpoch(9223372036854775807)]", "arm.date"),
        ("[dateTimeToEpoch('2026-13-45T99:99:99Z')]", "arm.date"),
        ("[dateTimeToEpoch('99999999999999999999/1/2020')]", "arm.date"),
        ("[format('{0,2000000000}', 1)]", "arm.format"),
        ("[format('{0,-9223372036854775808}', 1)]", "arm.format"),
        ("[format('{0:F2000000000}', 1.5)]", "arm.format"),
        ("[format('{0:N999999}', 1)]", "arm.format"),
        ("[format('{0:D2000000000}', 1)]", "arm.format"),
        ("[float('inf')]", "arm.convert"),
    ])
    func trapBecomesLocatedError(expression: String, code: String) throws {
        let (_, diagnostics) = ExpressionTests.eval(expression)
        let error = try #require(diagnostics.errors.first, "\(expression) must fail")
        #expect(error.code == code, "\(expression): \(error)")
        #expect(error.location?.path == "outputs.o.value")
        #expect(error.location?.line != nil)
    }

    @Test(arguments: [
        ("[add(9223372036854775806, 1)]", ARMValue.int(.max)),
        ("[div(-9223372036854775808, 1)]", .int(.min)),
        ("[format('{0:D5}', -9223372036854775808)]", .string("-9223372036854775808")),
        ("[range(2147483646, 1)]", .array([.int(2_147_483_646)])),
        ("[dateTimeFromEpoch(253402300799)]", .string("9999-12-31T23:59:59Z")),
        ("[dateTimeAdd('2020-02-29', 'P1Y')]", .string("2021-02-28T00:00:00Z")),
        ("[format('{0,5}|{0,-5}|', 'ab')]", .string("   ab|ab   |")),
    ])
    func boundaryValuesStillWork(expression: String, expected: ARMValue) {
        let (value, diagnostics) = ExpressionTests.eval(expression)
        #expect(!diagnostics.hasErrors, "\(expression): \(diagnostics)")
        #expect(value == expected, "\(expression)")
    }
}

/// Size and work stay bounded at Azure's template limits; the error names where evaluation stopped.
@Suite struct EvaluationLimitTests {
    static func template(variables: String = "{}", resources: String = "[]", outputs: String) -> String {
        #"{"variables": \#(variables), "resources": \#(resources), "outputs": \#(outputs)}"#
    }

    @Test func valuesDoubledThroughVariablesStop() {
        var variables = [#""v0": "[padLeft('', 1000, 'x')]""#]
        for i in 1...40 { variables.append(#""v\#(i)": ["[variables('v\#(i - 1)')]", "[variables('v\#(i - 1)')]"]"#) }
        let text = Self.template(variables: "{" + variables.joined(separator: ",") + "}",
                                 outputs: #"{"o": {"type": "array", "value": "[variables('v40')]"}}"#)
        let started = Date()
        let result = TemplateEvaluator.expand(try! Fixtures.parse(text), file: "t.json")
        #expect(Date().timeIntervalSince(started) < 10)
        let error = result.diagnostics.errors.first { $0.code == "arm.value-too-large" }
        #expect(error?.location?.path?.hasPrefix("variables.v") == true)
    }

    @Test func valuesDoubledThroughSharedArraysStop() {
        // createArray(x, x) shares x: sixty doublings are 2^60 elements if nothing measures them.
        var expr = "createArray(1)"
        for _ in 0..<60 { expr = "createArray(\(expr), \(expr.count > 2000 ? "1" : expr))" }
        let reduce = "[reduce(range(0, 60), createArray(padLeft('', 100, 'y')), lambda('acc', 'i', createArray(lambdaVariables('acc'), lambdaVariables('acc'))))]"
        let text = Self.template(outputs: "{\"o\": {\"type\": \"array\", \"value\": \(ARMText.quote(reduce))}}")
        let result = TemplateEvaluator.expand(try! Fixtures.parse(text), file: "t.json")
        #expect(result.diagnostics.errors.contains { $0.code == "arm.value-too-large" || $0.code == "arm.evaluation-budget" })
        #expect(result.diagnostics.errors.allSatisfy { $0.location?.path == "outputs.o.value" })
    }

    @Test func unionAndIntersectionOfLargeArraysAreLinear() {
        // Found by the mutation campaign: 10,000 × 10,000 pairwise comparisons took 40 s in a debug build.
        let started = Date()
        #expect(ExpressionTests.eval("[length(union(range(0, 10000), range(1, 10000)))]").0 == .int(10_001))
        #expect(ExpressionTests.eval("[length(intersection(range(0, 10000), range(1, 10000)))]").0 == .int(9_999))
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(ExpressionTests.eval("[union(createArray(1, json('1.0'), 'a'), createArray('a', createObject('x', 1)), createArray(createObject('x', 1)))]").0
                == .array([.int(1), .string("a"), .object(ARMObject([("x", .int(1))]))]))
    }

    @Test func padLeftToABillionIsRejectedBeforeAllocating() {
        let (_, diagnostics) = ExpressionTests.eval("[length(padLeft('a', 1000000000))]")
        #expect(diagnostics.errors.first?.code == "arm.value-too-large")
    }

    @Test func nestedCopiesStopAtTheTotalBound() {
        // Each level copies the next 800 times: 800^3 resources if nothing stops it early.
        func deployment(_ inner: String) -> String {
            #"{"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "[concat('d', copyIndex())]", "copy": {"name": "c", "count": 800}, "properties": {"mode": "Incremental", "template": {"resources": [\#(inner)]}}}"#
        }
        let leaf = #"{"type": "Microsoft.Network/routeTables", "apiVersion": "2023-04-01", "name": "[concat('rt', copyIndex())]", "copy": {"name": "l", "count": 800}}"#
        let text = Self.template(resources: "[" + deployment(deployment(leaf)) + "]", outputs: "{}")
        var options = EvaluationOptions()
        options.limits.maxTotalResources = 5_000
        let started = Date()
        let result = TemplateEvaluator.expand(try! Fixtures.parse(text), file: "t.json", options: options)
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(result.resources.count <= 5_000)
        #expect(result.diagnostics.errors.contains { $0.code == "arm.resource-limit" && $0.location?.path != nil })
    }

    @Test func oversizedResourceDefinitionIsRejected() {
        let resource = #"{"type": "Microsoft.Network/routeTables", "apiVersion": "2023-04-01", "name": "rt", "tags": {"a": "[padLeft('', 600000, 'a')]", "b": "[padLeft('', 600000, 'b')]"}}"#
        let result = TemplateEvaluator.expand(try! Fixtures.parse(Self.template(resources: "[\(resource)]", outputs: "{}")), file: "t.json")
        let error = result.diagnostics.errors.first { $0.code == "arm.value-too-large" }
        #expect(error?.location?.path == "resources[0]")
    }

    @Test func declarationCountsFollowAzure() {
        let outputs = "{" + (0..<65).map { #""o\#($0)": {"type": "int", "value": 1}"# }.joined(separator: ",") + "}"
        let parameters = "{" + (0..<257).map { #""p\#($0)": {"type": "int", "defaultValue": 1}"# }.joined(separator: ",") + "}"
        let text = #"{"parameters": \#(parameters), "resources": [], "outputs": \#(outputs)}"#
        let result = TemplateEvaluator.expand(try! Fixtures.parse(text), file: "t.json")
        let limits = result.diagnostics.errors.filter { $0.code == "arm.template-limit" }
        #expect(limits.map { $0.location?.path } == ["parameters", "outputs"])
        #expect(EvaluationLimits().maxCopyCount == 800 && EvaluationLimits().maxResources == 800)
    }
}
