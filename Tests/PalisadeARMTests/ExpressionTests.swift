import PalisadeModel
import Testing
@testable import PalisadeARM

/// Expression language: syntax, escapes, access, errors with positions.
@Suite struct ExpressionTests {
    /// Evaluates `[expr]` as the value of an output in an otherwise empty template.
    static func eval(_ expression: String, parameters: String = "{}", variables: String = "{}") -> (ARMValue?, Diagnostics) {
        let text = """
        {"parameters": \(parameters), "variables": \(variables), "resources": [],
         "outputs": {"o": {"type": "object", "value": \(ARMText.quote(expression))}}}
        """
        let template = try! Fixtures.parse(text)
        let result = TemplateEvaluator.expand(template, file: "t.json")
        return (result.outputs["o"], result.diagnostics)
    }

    @Test(arguments: [
        ("[[notAnExpression]", ARMValue.string("[notAnExpression]")),
        ("plain", .string("plain")),
        ("[concat('it''s', ' ok')]", .string("it's ok")),
        ("[TOUPPER('a')]", .string("A")),
        ("[createObject('a', createArray(1, 2))['a'][1]]", .int(2)),
        ("[json('{\"x\": {\"y\": true}}').x.y]", .bool(true)),
        ("[add(mul(2, 3), div(7, 2))]", .int(9)),
        ("[if(equals(1, 1), 'yes', fail())]", .string("yes")),
        ("[format('{0:D3}-{1,5}|{2:X}', 7, 'ab', 255)]", .string("007-   ab|FF")),
        ("[resourceId('Microsoft.Network/virtualNetworks/subnets', 'v', 's')]",
         .string("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/palisade-rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s")),
        ("[cidrSubnet('10.144.0.0/20', 24, 4)]", .string("10.144.4.0/24")),
        ("[managementGroupResourceId('mg1', 'Microsoft.Authorization/policyDefinitions', 'p')]",
         .string("/providers/Microsoft.Management/managementGroups/mg1/providers/Microsoft.Authorization/policyDefinitions/p")),
        ("[extensionResourceId('/subscriptions/s/resourceGroups/r', 'Microsoft.Authorization/locks', 'l')]",
         .string("/subscriptions/s/resourceGroups/r/providers/Microsoft.Authorization/locks/l")),
        ("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'abc')]",
         .string("/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/abc")),
        ("[tenantResourceId('Microsoft.Authorization/policyDefinitions', 'p')]", .string("/providers/Microsoft.Authorization/policyDefinitions/p")),
        ("[pickZones('Microsoft.Compute', 'virtualMachines', 'westus2')]", .unknown("")),
        ("[utcNow('yyyy-MM-dd')]", .string("2024-01-01")),
        ("[length(listKeys('x', '2021-01-01').keys)]", .unknown("")),
        ("[map(range(0, 3), lambda('i', mul(lambdaVariables('i'), 2)))]", .array([.int(0), .int(2), .int(4)])),
    ])
    func evaluates(_ expression: String, _ expected: ARMValue) {
        let (value, diagnostics) = Self.eval(expression)
        #expect(!diagnostics.hasErrors, "\(diagnostics.errors)")
        if case .unknown = expected {
            #expect(value?.isUnknown == true)
        } else {
            #expect(value == expected)
        }
    }

    @Test func unknownFunctionIsNamedWithColumnAndPath() throws {
        let (_, diagnostics) = Self.eval("[concat('a', nosuch(1))]")
        let error = try #require(diagnostics.errors.first)
        #expect(error.message.contains("nosuch"))
        #expect(error.location?.path == "outputs.o.value")
        #expect(error.message.contains("column 14 of expression"))
        #expect(error.location?.column == 61)  // the string starts at column 47
        #expect(error.location?.line == 2)
    }

    @Test func syntaxErrorGivesColumn() throws {
        let (_, diagnostics) = Self.eval("[concat('a', 'b']")
        let error = try #require(diagnostics.errors.first)
        #expect(error.code == "arm.syntax")
        #expect(error.location?.column != nil)
    }

    @Test func recursiveVariablesAreReported() throws {
        let (_, diagnostics) = Self.eval("[variables('a')]", variables: #"{"a": "[variables('b')]", "b": "[variables('a')]"}"#)
        let error = try #require(diagnostics.errors.first)
        #expect(error.code == "arm.recursive-variable")
    }

    @Test func uniqueStringMatchesAnIndependentImplementation() {
        // Azure/terraform-provider-azapi's unique_string test (two arguments joined with '-').
        #expect(ARMHash.uniqueString(["/subscriptions/00000000-0000-0000-0000-000000000000", "resource-id"]) == "cwvxuqg24sifi")
    }

    @Test func hashesMatchPublishedAlgorithms() {
        #expect(ARMHash.guid(["abc"]) == "a9b46cc2-65a6-5559-9f14-7091827ab32f")
        #expect(ARMHash.uniqueString(["a", "b"]) == ARMHash.uniqueString(["a-b"]))
    }
}
