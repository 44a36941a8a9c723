import PalisadeModel
import Testing
@testable import PalisadeARM

/// `reference()` within a template, derived read-only properties, and identities used as principals.
@Suite struct ReferenceTests {
    static let template = """
    {"parameters": {"count": {"type": "int", "defaultValue": "two"}},
     "resources": [
      {"type": "Microsoft.Network/privateEndpoints", "apiVersion": "2023-04-01", "name": "pe",
       "properties": {"customNetworkInterfaceName": "pe-nic", "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'v', 's')]"}}},
      {"type": "Microsoft.ManagedIdentity/userAssignedIdentities", "apiVersion": "2023-01-31", "name": "id1"},
      {"type": "Microsoft.Authorization/roleAssignments", "apiVersion": "2022-04-01", "name": "[guid('x')]",
       "properties": {"roleDefinitionId": "/providers/Microsoft.Authorization/roleDefinitions/abc",
                      "principalId": "[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id1')).principalId]"}}],
     "outputs": {
      "nic": {"type": "string", "value": "[reference('pe').networkInterfaces[0].id]"},
      "subnet": {"type": "string", "value": "[reference('pe').subnet.id]"}}}
    """

    @Test func sameTemplateReferences() throws {
        var options = EvaluationOptions()
        options.parameters = ["count": .int(2)]
        let result = TemplateEvaluator.expand(try Fixtures.parse(Self.template), file: "r.json", options: options)
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.errors)")
        #expect(result.outputs["nic"]?.stringValue?.hasSuffix("/providers/Microsoft.Network/networkInterfaces/pe-nic") == true)
        #expect(result.outputs["subnet"]?.stringValue?.hasSuffix("/virtualNetworks/v/subnets/s") == true)
        let (graph, _) = ARMImporter.importDeployment(result)
        let assignment = try #require(graph.all(RoleAssignment.self).first)
        #expect(assignment.principal?.name == "id1")
        #expect(assignment.scope.resourceGroupName == "palisade-rg")
    }

    @Test func parameterTypesAreChecked() {
        let result = TemplateEvaluator.expand(try! Fixtures.parse(Self.template), file: "r.json")
        #expect(result.diagnostics.errors.contains { $0.code == "arm.parameter-type" && $0.message.contains("'count'") })
    }
}
