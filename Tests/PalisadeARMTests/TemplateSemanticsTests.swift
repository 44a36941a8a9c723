import Foundation
import PalisadeModel
import Testing
@testable import PalisadeARM

/// Template evaluation semantics on small inline templates.
@Suite struct TemplateSemanticsTests {
    static func expand(_ text: String, _ configure: (inout EvaluationOptions) -> Void = { _ in }) -> ExpandedDeployment {
        var options = EvaluationOptions()
        configure(&options)
        return TemplateEvaluator.expand(try! Fixtures.parse(text), file: "t.json", options: options)
    }

    static let twoRequired = """
    {"parameters": {"a": {"type": "string"}, "b": {"type": "int", "minValue": 3}, "c": {"type": "string", "defaultValue": "x"}},
     "resources": [], "outputs": {"a": {"type": "string", "value": "[parameters('a')]"}, "b": {"type": "int", "value": "[parameters('b')]"}}}
    """

    @Test func missingParametersAreOneError() throws {
        let result = Self.expand(Self.twoRequired)
        #expect(result.diagnostics.errors.count == 1)
        let error = try #require(result.diagnostics.errors.first)
        #expect(error.code == "arm.missing-parameters")
        #expect(error.message.contains("a, b"))
    }

    @Test func placeholdersFillMissingParameters() {
        let result = Self.expand(Self.twoRequired) { $0.placeholders = true }
        #expect(!result.diagnostics.hasErrors)
        #expect(result.outputs["a"] == .string("placeholder-a"))
        #expect(result.outputs["b"] == .int(3))
    }

    @Test func overridesAreTypedAndChecked() {
        let ok = Self.expand(Self.twoRequired) { $0.overrides = ["a": "hello", "B": "5"] }
        #expect(!ok.diagnostics.hasErrors, "\(ok.diagnostics.errors)")
        #expect(ok.outputs["b"] == .int(5))
        let low = Self.expand(Self.twoRequired) { $0.overrides = ["a": "hello", "b": "1"] }
        #expect(low.diagnostics.errors.contains { $0.code == "arm.parameter-range" })
        let bad = Self.expand(Self.twoRequired) { $0.overrides = ["a": "x", "b": "three"] }
        #expect(bad.diagnostics.errors.contains { $0.code == "arm.parameter-type" })
        let unknown = Self.expand(Self.twoRequired) { $0.overrides = ["a": "x", "b": "4", "zz": "1"] }
        #expect(unknown.diagnostics.errors.contains { $0.code == "arm.unknown-parameter" })
    }

    @Test func allowedValuesAreChecked() {
        let text = #"{"parameters": {"sku": {"type": "string", "allowedValues": ["Basic", "Premium"]}}, "resources": []}"#
        #expect(Self.expand(text) { $0.parameters = ["sku": .string("premium")] }.diagnostics.errors.isEmpty)
        #expect(Self.expand(text) { $0.parameters = ["sku": .string("Gold")] }.diagnostics.errors.contains { $0.code == "arm.parameter-not-allowed" })
    }

    @Test func userDefinedTypesAreChecked() {
        let text = """
        {"languageVersion": "2.0", "definitions": {"rule": {"type": "object", "properties": {
            "name": {"type": "string"}, "priority": {"type": "int"}, "note": {"type": "string", "nullable": true},
            "access": {"type": "string", "allowedValues": ["Allow", "Deny"]}}}},
         "parameters": {"rules": {"type": "array", "items": {"$ref": "#/definitions/rule"}}}, "resources": {}}
        """
        let good = Self.expand(text) { $0.parameters = ["rules": .array([.object(ARMObject([("name", .string("a")), ("priority", .int(1)), ("access", .string("allow"))]))])] }
        #expect(!good.diagnostics.hasErrors, "\(good.diagnostics.errors)")
        let bad = Self.expand(text) { $0.parameters = ["rules": .array([.object(ARMObject([("name", .int(3)), ("access", .string("Maybe"))]))])] }
        let messages = bad.diagnostics.errors.filter { $0.code == "arm.parameter-shape" }.map(\.message)
        #expect(messages.contains { $0.contains("rules[0].name should be string") })
        #expect(messages.contains { $0.contains("missing required property 'priority'") })
        #expect(messages.contains { $0.contains("rules[0].access") })
    }

    @Test func secureValuesNeverAppear() throws {
        let text = """
        {"parameters": {"pw": {"type": "securestring"}},
         "resources": [{"type": "Microsoft.Compute/virtualMachines", "apiVersion": "2023-03-01", "name": "vm",
                        "properties": {"osProfile": {"adminUsername": "u", "adminPassword": "[parameters('pw')]"}}}],
         "outputs": {"leak": {"type": "string", "value": "[concat('x', parameters('pw'))]"}}}
        """
        let result = Self.expand(text) { $0.parameters = ["pw": .string("Sup3rSecret!")] }
        let json = result.renderJSON()
        #expect(!json.contains("Sup3rSecret!"))
        let (graph, _) = ARMImporter.importDeployment(result)
        let vm = try #require(graph.all(VirtualMachine.self).first)
        #expect(vm.adminPassword == .secureParameter(name: "pw"))
    }

    @Test func keyVaultReferencesStayOpaque() throws {
        let params = try Fixtures.parse("""
        {"parameters": {"pw": {"reference": {"keyVault": {"id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.KeyVault/vaults/kv"}, "secretName": "admin"}}}}
        """)
        let (values, d) = ARMLoader.parameters(from: params, file: "p.json")
        #expect(!d.hasErrors)
        guard case .secret(.keyVaultSecret(let vault, let name))? = values["pw"] else { Issue.record("not a secret"); return }
        #expect(vault.name == "kv" && name == "admin")
    }

    @Test func copyLoopsEverywhere() {
        let text = """
        {"parameters": {}, "variables": {"copy": [{"name": "nums", "count": 3, "input": "[copyIndex('nums', 1)]"}]},
         "resources": [{"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-04-01",
           "name": "[concat('nsg', copyIndex(10))]", "copy": {"name": "nsgLoop", "count": 2},
           "properties": {"copy": [{"name": "securityRules", "count": 2, "input": {
              "name": "[concat('r', copyIndex('securityRules'))]",
              "properties": {"priority": "[add(100, copyIndex('securityRules'))]", "direction": "Inbound", "access": "Deny",
                             "protocol": "*", "sourceAddressPrefix": "*", "sourcePortRange": "*",
                             "destinationAddressPrefix": "*", "destinationPortRange": "[string(copyIndex('nsgLoop'))]"}}}]}}],
         "outputs": {"nums": {"type": "array", "value": "[variables('nums')]"},
                     "names": {"type": "array", "copy": {"count": 2, "input": "[concat('n', copyIndex())]"}}}}
        """
        let result = Self.expand(text)
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.errors)")
        #expect(result.resources.map(\.name) == ["nsg10", "nsg11"])
        #expect(result.outputs["nums"] == .array([.int(1), .int(2), .int(3)]))
        #expect(result.outputs["names"] == .array([.string("n0"), .string("n1")]))
        let rules = result.resources[1].properties["securityRules"]?.arrayValue ?? []
        #expect(rules.count == 2)
        #expect(rules[1]["properties"]?["priority"] == .int(101))
        #expect(rules[1]["properties"]?["destinationPortRange"] == .string("1"))
    }

    @Test func copyCountLimit() {
        let text = """
        {"resources": [{"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "[concat('s', copyIndex())]",
                        "copy": {"name": "l", "count": 801}}]}
        """
        let result = Self.expand(text)
        #expect(result.diagnostics.errors.contains { $0.code == "arm.copy-limit" && $0.location?.line == 2 }, "\(result.diagnostics.items)")
        #expect(result.resources.isEmpty)
    }

    @Test func nestedDeploymentScopes() {
        let text = """
        {"parameters": {"p": {"type": "string", "defaultValue": "outer"}},
         "variables": {"v": "outer-var"},
         "resources": [
          {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "innerDep",
           "properties": {"mode": "Incremental", "expressionEvaluationOptions": {"scope": "inner"},
             "parameters": {"p": {"value": "[concat(parameters('p'), '-passed')]"}},
             "template": {"parameters": {"p": {"type": "string"}}, "variables": {"v": "inner-var"},
               "resources": [{"type": "Microsoft.Network/routeTables", "apiVersion": "2023-04-01", "name": "[parameters('p')]"}],
               "outputs": {"o": {"type": "string", "value": "[variables('v')]"}}}}},
          {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "outerDep",
           "properties": {"mode": "Incremental",
             "template": {"resources": [{"type": "Microsoft.Network/routeTables", "apiVersion": "2023-04-01", "name": "[variables('v')]"}]}}},
          {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "linked",
           "properties": {"mode": "Incremental", "templateLink": {"uri": "https://example.com/t.json"}}}],
         "outputs": {"fromInner": {"type": "string", "value": "[reference('innerDep').outputs.o.value]"},
                     "crossModule": {"type": "string", "value": "[reference(resourceId('Microsoft.Network/routeTables', 'outer-passed'), '2023-04-01', 'Full').name]"}}}
        """
        let result = Self.expand(text)
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.errors)")
        let tables = result.resources.filter { $0.type == "Microsoft.Network/routeTables" }
        #expect(tables.map(\.name) == ["outer-passed", "outer-var"])
        #expect(tables[0].deploymentPath == ["innerDep"])
        #expect(result.outputs["fromInner"] == .string("inner-var"))
        #expect(result.outputs["crossModule"] == .string("outer-passed"))
        #expect(result.diagnostics.items.contains { $0.code == "arm.linked-template" && $0.location?.line == 14 }, "\(result.diagnostics.items)")
    }

    @Test func symbolicTemplatesChildrenAndReferences() throws {
        let text = """
        {"languageVersion": "2.0", "contentVersion": "1.0.0.0",
         "functions": [{"namespace": "pal", "members": {"double": {"parameters": [{"name": "x", "type": "int"}],
                        "output": {"type": "int", "value": "[mul(parameters('x'), 2)]"}}}}],
         "resources": {
          "vnet": {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "v",
                   "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}}},
          "sub": {"type": "Microsoft.Network/virtualNetworks/subnets", "apiVersion": "2023-04-01", "name": "v/s",
                  "dependsOn": ["vnet"], "properties": {"addressPrefix": "[cidrSubnet(reference('vnet').addressSpace.addressPrefixes[0], 24, pal.double(2))]"}},
          "old": {"existing": true, "type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-04-01", "name": "legacy"},
          "off": {"condition": false, "type": "Microsoft.Network/routeTables", "apiVersion": "2023-04-01", "name": "never"}
         }}
        """
        let result = Self.expand(text)
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.errors)")
        #expect(result.resources.map(\.symbolicName) == ["vnet", "sub", "old"])
        #expect(result.resources[1].properties["addressPrefix"] == .string("10.0.4.0/24"))
        #expect(result.resources[1].dependsOn == ["vnet"])
        #expect(result.resources[2].existing)
        let (graph, _) = ARMImporter.importDeployment(result)
        #expect(graph.all(Subnet.self).first?.addressPrefixes == [IPv4Prefix("10.0.4.0/24")!])
        #expect(graph.all(NetworkSecurityGroup.self).isEmpty)
    }

    @Test func nestedChildResourcesGetFullNames() {
        let text = """
        {"resources": [{"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-04-01", "name": "nsg",
          "resources": [{"type": "securityRules", "apiVersion": "2023-04-01", "name": "ssh", "dependsOn": ["nsg"],
            "properties": {"priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
              "sourceAddressPrefix": "Internet", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "22"}}]}]}
        """
        let result = Self.expand(text)
        #expect(result.resources.map(\.type) == ["Microsoft.Network/networkSecurityGroups", "Microsoft.Network/networkSecurityGroups/securityRules"])
        #expect(result.resources[1].name == "nsg/ssh")
        let (graph, _) = ARMImporter.importDeployment(result)
        #expect(graph.all(NetworkSecurityGroup.self).first?.securityRules.first?.source == .serviceTag("Internet"))
    }

    @Test func unknownValuesBecomeUnresolvedNotAny() throws {
        let text = """
        {"resources": [{"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-04-01", "name": "nsg",
          "properties": {"securityRules": [{"name": "r", "properties": {"priority": 100, "direction": "Inbound", "access": "Allow",
            "protocol": "Tcp", "sourceAddressPrefix": "[reference('/subscriptions/x/resourceGroups/y/providers/Microsoft.Network/publicIPAddresses/p', '2023-04-01').ipAddress]",
            "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "22"}}]}}]}
        """
        let result = Self.expand(text)
        let (graph, diagnostics) = ARMImporter.importDeployment(result)
        let rule = try #require(graph.all(NetworkSecurityGroup.self).first?.securityRules.first)
        guard case .unresolved = rule.source else { Issue.record("expected unresolved, got \(rule.source)"); return }
        #expect(diagnostics.items.contains { $0.severity == .warning && $0.code == "arm.import-unresolved" })
    }

    @Test func renderingIsDeterministic() {
        let text = #"{"resources": [{"type": "Microsoft.Network/routeTables", "apiVersion": "2023-04-01", "name": "rt", "location": "westeurope", "properties": {"b": 1, "a": 2}}], "outputs": {"z": {"type": "int", "value": 1}, "a": {"type": "int", "value": 2}}}"#
        let first = Self.expand(text).renderJSON()
        #expect(first == Self.expand(text).renderJSON())
        #expect(first.contains("\"source\": \"t.json:1:"))
        #expect(first.range(of: "\"a\": 2")!.lowerBound < first.range(of: "\"b\": 1")!.lowerBound)
        #expect(Self.expand(text).renderOutputsJSON() == "{\n  \"a\": 2,\n  \"z\": 1\n}\n")
    }

    @Test func malformedTemplateReportsLineAndColumn() throws {
        let (node, diagnostics) = ARMLoader.parse(bytes: Array("{\n  \"resources\": [\n    {\"name\": }\n  ]\n}".utf8), file: "bad.json")
        #expect(node == nil)
        let error = try #require(diagnostics.errors.first)
        #expect(error.description.hasPrefix("bad.json:3:14: error:"))
    }

    @Test func largeTemplateExpandsQuickly() throws {
        // ~10 MB: 2,200 NSGs with 10 rules each, built from expressions.
        var resources: [String] = []
        let rule = #"{"name": "[concat('r', '%d')]", "properties": {"priority": "[add(100, %d)]", "direction": "Inbound", "access": "Allow", "protocol": "Tcp", "sourceAddressPrefix": "[parameters('src')]", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "[string(add(1000, %d))]", "description": "padding padding padding padding padding padding padding padding padding padding padding padding padding padding padding padding padding"}}"#
        for i in 0..<2200 {
            let rules = (0..<10).map { String(format: rule, $0, $0, $0) }.joined(separator: ",")
            resources.append(#"{"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-04-01", "name": "[concat('nsg', '\#(i)')]", "location": "[resourceGroup().location]", "properties": {"securityRules": [\#(rules)]}}"#)
        }
        let text = #"{"parameters": {"src": {"type": "string", "defaultValue": "10.0.0.0/8"}}, "resources": ["# + resources.joined(separator: ",\n") + "]}"
        let start = Date()
        let node = try Fixtures.parse(text)
        let parsed = Date()
        let result = TemplateEvaluator.expand(node, file: "big.json")
        print("BENCHMARK parse: \(String(format: "%.2f", parsed.timeIntervalSince(start))) s")
        let elapsed = Date().timeIntervalSince(start)
        #expect(text.utf8.count > 9_000_000)
        #expect(result.resources.count == 2200)
        // Far beyond what Azure accepts in one deployment: reported, but still expanded.
        #expect(result.diagnostics.errors.contains { $0.code == "arm.resource-limit" })
        print("BENCHMARK: \(text.utf8.count) bytes expanded in \(String(format: "%.2f", elapsed)) s")
    }
}
