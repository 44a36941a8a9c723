import Foundation
import PalisadeModel
import Testing
@testable import PalisadeARM

/// Expands the real templates in `fixtures/arm` and checks them against their INVENTORY.md.
@Suite struct TemplateFixtureTests {
    struct Case: CustomStringConvertible, Sendable {
        var template: String
        var parameters: String?
        var expected: [String: Int]
        var description: String { template }
    }

    static let cases: [Case] = [
        Case(template: "arm/aml-end-to-end-secure/azuredeploy.json", parameters: "arm/aml-end-to-end-secure/azuredeploy.parameters.json",
             expected: [
                "Microsoft.Resources/deployments": 12, "Microsoft.Network/networkSecurityGroups": 1,
                "Microsoft.Network/virtualNetworks": 1, "Microsoft.Network/virtualNetworks/subnets": 1,
                "Microsoft.KeyVault/vaults": 1, "Microsoft.Storage/storageAccounts": 1,
                "Microsoft.ContainerRegistry/registries": 1, "Microsoft.OperationalInsights/workspaces": 1,
                "Microsoft.Insights/components": 1, "Microsoft.MachineLearningServices/workspaces": 1,
                "Microsoft.MachineLearningServices/workspaces/computes": 3, "Microsoft.ContainerService/managedClusters": 1,
                "Microsoft.Network/privateEndpoints": 5, "Microsoft.Network/privateEndpoints/privateDnsZoneGroups": 5,
                "Microsoft.Network/privateDnsZones": 6, "Microsoft.Network/privateDnsZones/virtualNetworkLinks": 6,
                "Microsoft.Network/networkInterfaces": 1, "Microsoft.Compute/virtualMachines": 1,
                "Microsoft.Compute/virtualMachines/extensions": 1, "Microsoft.Network/publicIPAddresses": 1,
                "Microsoft.Network/bastionHosts": 1,
             ]),
        Case(template: "arm/aml-network-restricted/azuredeploy.json", parameters: "arm/aml-network-restricted/azuredeploy.parameters.json",
             expected: [
                "Microsoft.Resources/deployments": 7, "Microsoft.OperationalInsights/workspaces": 1,
                "Microsoft.Insights/components": 1, "Microsoft.KeyVault/vaults": 1, "Microsoft.ContainerRegistry/registries": 1,
                "Microsoft.CognitiveServices/accounts": 1, "Microsoft.Storage/storageAccounts": 1,
                "Microsoft.MachineLearningServices/workspaces": 1, "Microsoft.MachineLearningServices/workspaces/connections": 1,
                "Microsoft.Network/privateEndpoints": 6, "Microsoft.Network/privateEndpoints/privateDnsZoneGroups": 6,
                "Microsoft.Network/privateDnsZones": 8, "Microsoft.Network/privateDnsZones/virtualNetworkLinks": 8,
             ]),
        Case(template: "arm/aml-network-restricted/prereqs/prereq.azuredeploy.json",
             parameters: "arm/aml-network-restricted/prereqs/prereq.azuredeploy.parameters.json",
             expected: [
                "Microsoft.Network/virtualNetworks": 1, "Microsoft.Network/publicIPAddresses": 1,
                "Microsoft.Network/networkInterfaces": 1, "Microsoft.Compute/virtualMachines": 1,
             ]),
        Case(template: "arm/azurefirewall-sandbox-linux/azuredeploy.json", parameters: "arm/azurefirewall-sandbox-linux/azuredeploy.parameters.json",
             expected: [
                "Microsoft.Storage/storageAccounts": 1, "Microsoft.Network/routeTables": 1,
                "Microsoft.Network/networkSecurityGroups": 2, "Microsoft.Network/virtualNetworks": 1,
                "Microsoft.Network/publicIPAddresses": 2, "Microsoft.Network/networkInterfaces": 2,
                "Microsoft.Compute/virtualMachines": 2, "Microsoft.Compute/virtualMachines/extensions": 2,
                "Microsoft.Network/azureFirewalls": 1,
             ]),
        Case(template: "arm/privateaml-ampls/ampls.json", parameters: "arm/privateaml-ampls/ampls.parameters.json",
             expected: ["microsoft.insights/privatelinkscopes": 1, "microsoft.insights/privatelinkscopes/scopedresources": 2]),
        Case(template: "arm/avm-network-security-group/main.json", parameters: "arm/avm-network-security-group/main.parameters.json",
             expected: ["Microsoft.Network/networkSecurityGroups": 1, "Microsoft.Authorization/locks": 1]),
    ]

    static func expand(_ c: Case) -> ExpandedDeployment {
        ARMExpander.expand(template: Fixtures.path(c.template), parameterFiles: c.parameters.map { [Fixtures.path($0)] } ?? [])
    }

    static func counts(_ d: ExpandedDeployment) -> [String: Int] {
        var out: [String: Int] = [:]
        for r in d.resources where !r.existing { out[r.type.lowercased(), default: 0] += 1 }
        return out
    }

    @Test(arguments: cases) func matchesInventory(_ c: Case) {
        let result = Self.expand(c)
        for d in result.diagnostics.errors { Issue.record(Comment(rawValue: d.description)) }
        let expected = Dictionary(c.expected.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: +)
        #expect(Self.counts(result) == expected)
    }
}

/// The templates in `fixtures/arm-extra` (no inventories) expand without errors.
@Suite struct ExtraTemplateTests {
    static let cases: [(String, String)] = [
        ("arm-extra/aml-workspace-vnet/azuredeploy.json", "arm-extra/aml-workspace-vnet/azuredeploy.parameters.json"),
        ("arm-extra/aifoundry-networking-aoao/azuredeploy.json", "arm-extra/aifoundry-networking-aoao/azuredeploy.parameters.json"),
        ("arm-extra/azure-firewall-dns-proxy/azuredeploy.json", "arm-extra/azure-firewall-dns-proxy/azuredeploy.parameters.json"),
        ("arm-extra/avm-ml-workspace/main.json", "arm-extra/avm-ml-workspace/main.parameters.json"),
        ("arm-extra/key-vault-private-endpoint/azuredeploy.json", "arm-extra/key-vault-private-endpoint/azuredeploy.parameters.json"),
    ]

    @Test(arguments: cases.map(\.0)) func expandsWithoutErrors(_ template: String) {
        let parameters = Self.cases.first { $0.0 == template }!.1
        let result = ARMExpander.expand(template: Fixtures.path(template), parameterFiles: [Fixtures.path(parameters)])
        for d in result.diagnostics.errors { Issue.record(Comment(rawValue: d.description)) }
        #expect(!result.resources.isEmpty)


    }
}
