import Foundation
import PalisadeModel
import Testing
@testable import PalisadeARM

/// Template behaviour Azure accepts that the Bicep compiler relies on (nullable parameters, filtered loops,
/// secure objects), each built from the documented example.
@Suite struct CompilerOutputSemanticsTests {
    static func expand(_ text: String, _ configure: (inout EvaluationOptions) -> Void = { _ in }) -> ExpandedDeployment {
        TemplateSemanticsTests.expand(text, configure)
    }

    /// Inside a property loop its own index is asked for by name, so an unnamed `copyIndex()` there is the looped
    /// resource's (https://learn.microsoft.com/azure/azure-resource-manager/templates/copy-properties: "you must
    /// provide the name of the iteration" for a property loop; resource and property iterations combine).
    @Test func unnamedCopyIndexInAPropertyLoopIsTheResourceLoop() {
        let text = """
        {"resources": [{"copy": {"name": "ds", "count": 2}, "type": "Microsoft.Insights/diagnosticSettings",
          "apiVersion": "2021-05-01-preview", "name": "[format('d{0}', copyIndex())]",
          "properties": {"copy": [{"name": "m", "count": 2, "input": {"resource": "[copyIndex()]", "own": "[copyIndex('m')]"}}]}}]}
        """
        let result = Self.expand(text)
        #expect(result.diagnostics.errors.isEmpty, "\(result.diagnostics.errors)")
        #expect(result.resources.map(\.name) == ["d0", "d1"])
        let first = result.resources.first?.properties["m"]?.arrayValue ?? []
        let second = result.resources.last?.properties["m"]?.arrayValue ?? []
        #expect(second.count == 2 && first.count == 2)
        #expect(second.map { $0["resource"] } == [.int(1), .int(1)])
        #expect(second.map { $0["own"] } == [.int(0), .int(1)])
        #expect(first.map { $0["resource"] } == [.int(0), .int(0)])
    }

    /// A property name can be an expression, evaluated like a value: the Application Insights web test's
    /// `hidden-link:` tag (https://learn.microsoft.com/azure/azure-monitor/app/availability-standard-tests), which
    /// the Bicep compiler emits as `"[format('hidden-link:{0}', …)]"`; `[[` keeps a literal bracket.
    @Test func propertyNamesAreEvaluated() {
        let text = """
        {"parameters": {"component": {"type": "string", "defaultValue": "appi-test"}}, "resources": [],
         "outputs": {"tags": {"type": "object", "value": {"[format('hidden-link:{0}', parameters('component'))]": "Resource", "[[literal]": "kept"}}}}
        """
        let result = Self.expand(text)
        #expect(result.diagnostics.errors.isEmpty, "\(result.diagnostics.errors)")
        #expect(result.outputs["tags"]?["hidden-link:appi-test"] == .string("Resource"))
        #expect(result.outputs["tags"]?["[literal]"] == .string("kept"))
    }

    /// https://learn.microsoft.com/azure/azure-resource-manager/templates/data-types#nullable-types:
    /// a nullable parameter may be null; its allowed values constrain only a real value.
    @Test func nullableParameterWithAllowedValuesAcceptsNull() {
        let text = """
        {"languageVersion": "2.0", "parameters": {"kind": {"type": "string", "nullable": true, "allowedValues": ["CanNotDelete", "ReadOnly"]}},
         "resources": {}, "outputs": {"k": {"type": "string", "nullable": true, "value": "[parameters('kind')]"}}}
        """
        let absent = Self.expand(text)
        #expect(absent.diagnostics.errors.isEmpty, "\(absent.diagnostics.errors)")
        #expect(absent.outputs["k"] == .null)
        let explicitNull = Self.expand(text) { $0.parameters = ["kind": .null] }
        #expect(explicitNull.diagnostics.errors.isEmpty, "\(explicitNull.diagnostics.errors)")
        let wrong = Self.expand(text) { $0.parameters = ["kind": .string("Delete")] }
        #expect(wrong.diagnostics.errors.contains { $0.code == "arm.parameter-not-allowed" })
        // Not nullable: null is still checked.
        let strict = #"{"parameters": {"kind": {"type": "string", "allowedValues": ["A"]}}, "resources": []}"#
        #expect(Self.expand(strict) { $0.parameters = ["kind": .null] }.diagnostics.errors.contains { $0.code == "arm.parameter-not-allowed" })
    }

    /// https://learn.microsoft.com/azure/azure-resource-manager/bicep/loops#loop-with-condition: the Bicep
    /// `[for (name, i) in names: if (i % 2 == 0) {...}]` compiles to a copy loop whose condition uses copyIndex(),
    /// evaluated per instance.
    @Test func copyIndexInConditionOfLoopedResource() {
        let text = """
        {"parameters": {"names": {"type": "array", "defaultValue": ["a", "b", "c"]}}, "resources": [
          {"condition": "[equals(mod(copyIndex(), 2), 0)]", "copy": {"name": "accounts", "count": "[length(parameters('names'))]"},
           "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01",
           "name": "[parameters('names')[copyIndex()]]", "location": "westeurope", "kind": "StorageV2"}]}
        """
        let result = Self.expand(text)
        #expect(result.diagnostics.errors.isEmpty, "\(result.diagnostics.errors)")
        #expect(result.resources.map(\.name) == ["a", "c"])
        // A condition false for the whole loop skips it without evaluating its count.
        let skipped = """
        {"parameters": {"names": {"type": "array", "nullable": true}}, "resources": [
          {"condition": "[not(empty(parameters('names')))]", "copy": {"name": "x", "count": "[length(parameters('names'))]"},
           "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "[parameters('names')[copyIndex()]]"}]}
        """
        let none = Self.expand(skipped)
        #expect(none.diagnostics.errors.isEmpty, "\(none.diagnostics.errors)")
        #expect(none.resources.isEmpty)
    }

    /// https://learn.microsoft.com/azure/azure-resource-manager/templates/data-types#secure-strings-and-objects:
    /// a secureObject is an object to the template (its keys can be tested), but its values are never shown.
    @Test func secureObjectIsEvaluatedBeforeMasking() {
        let text = """
        {"parameters": {"registration": {"type": "secureObject", "defaultValue": {"enabled": false, "token": "s3cr3t"}}},
         "resources": [{"condition": "[parameters('registration').enabled]", "type": "Microsoft.Compute/virtualMachines/extensions",
           "apiVersion": "2023-01-01", "name": "vm/hostpool", "properties": {"protectedSettings": "[parameters('registration')]"}}],
         "outputs": {"has": {"type": "bool", "value": "[contains(parameters('registration'), 'token')]"}}}
        """
        let off = Self.expand(text)
        #expect(off.diagnostics.errors.isEmpty, "\(off.diagnostics.errors)")
        #expect(off.resources.isEmpty)
        #expect(off.outputs["has"] == .bool(true))
        let on = Self.expand(text) { $0.parameters = ["registration": .object(ARMObject([("enabled", .bool(true)), ("token", .string("s3cr3t"))]))] }
        #expect(on.diagnostics.errors.isEmpty, "\(on.diagnostics.errors)")
        #expect(on.resources.count == 1)
        #expect(!on.renderJSON().contains("s3cr3t"))
        #expect(on.resources.first?.properties["protectedSettings"]?["enabled"] == .bool(true))
    }
}
