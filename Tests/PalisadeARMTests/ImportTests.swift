import Foundation
import PalisadeModel
import Testing
@testable import PalisadeARM

/// Imports the real fixture templates and checks key facts from their INVENTORY.md.
@Suite struct ImportTests {
    static func load(_ template: String, _ parameters: String) -> (ResourceGraph, Diagnostics) {
        var options = ImportOptions()
        options.parameterFiles = [Fixtures.path(parameters)]
        return ARMImporter.importFile(Fixtures.path(template), options: options)
    }

    @Test func endToEndSecure() throws {
        let (graph, diagnostics) = Self.load("arm/aml-end-to-end-secure/azuredeploy.json", "arm/aml-end-to-end-secure/azuredeploy.parameters.json")
        #expect(!diagnostics.hasErrors, "\(diagnostics.errors)")
        let vnet = try #require(graph.all(VirtualNetwork.self).first)
        #expect(vnet.addressSpace == [IPv4Prefix("192.168.0.0/16")!])
        let subnets = graph.subnets(of: vnet.id).map(\.name).sorted()
        #expect(subnets == ["AzureBastionSubnet", "snet-scoring", "snet-training"])
        #expect(graph.all(PrivateEndpoint.self).count == 5)
        #expect(graph.all(PrivateEndpoint.self).allSatisfy { $0.privateDnsZoneGroup != nil && $0.target != nil && $0.subnet != nil })
        let zones = graph.all(PrivateDnsZone.self)
        #expect(zones.count == 6)
        #expect(zones.allSatisfy { $0.virtualNetworkLinks.count == 1 && $0.virtualNetworkLinks[0].virtualNetwork == vnet.id })
        #expect(graph.all(MachineLearningWorkspace.self).count == 1)
        #expect(graph.all(MachineLearningCompute.self).count == 3)
        let nsg = try #require(graph.all(NetworkSecurityGroup.self).first)
        #expect(!nsg.securityRules.isEmpty)
        #expect(graph.all(BastionHost.self).count == 1)
        // Every imported resource knows where it was declared.
        #expect(graph.resources.allSatisfy { $0.source?.line != nil })
    }

    @Test func firewallSandbox() throws {
        let (graph, diagnostics) = Self.load("arm/azurefirewall-sandbox-linux/azuredeploy.json", "arm/azurefirewall-sandbox-linux/azuredeploy.parameters.json")
        #expect(!diagnostics.hasErrors, "\(diagnostics.errors)")
        let fw = try #require(graph.all(AzureFirewall.self).first)
        #expect(fw.privateIPAddress == IPv4Address("10.0.1.4"))  // derived: AzureFirewallSubnet 10.0.1.0/24 + 4
        #expect(!fw.applicationRuleCollections.isEmpty)
        #expect(!fw.networkRuleCollections.isEmpty)
        let table = try #require(graph.all(RouteTable.self).first)
        #expect(table.routes.contains { $0.destination == .prefix(IPv4Prefix("0.0.0.0/0")!) && $0.nextHopIPAddress == IPv4Address("10.0.1.4") })
        let subnets = graph.all(Subnet.self)
        #expect(subnets.count == 3)
        // Inline subnets point at their own element, not at the VNet.
        #expect(Set(subnets.compactMap(\.source?.line)).count == 3)
        #expect(subnets.first { $0.name == "ServersSubnet" }?.routeTable == table.id)
        #expect(graph.all(NetworkSecurityGroup.self).count == 2)
        #expect(graph.all(VirtualMachine.self).count == 2)
    }

    @Test func avmNetworkSecurityGroup() throws {
        let (graph, diagnostics) = Self.load("arm/avm-network-security-group/main.json", "arm/avm-network-security-group/main.parameters.json")
        #expect(!diagnostics.hasErrors, "\(diagnostics.errors)")
        let nsg = try #require(graph.all(NetworkSecurityGroup.self).first)
        #expect(nsg.name == "nsg-snet-training-test")
        #expect(nsg.securityRules.count == 7)
        let ssh = try #require(nsg.securityRules.first { $0.name == "AllowSshFromBastionSubnet" })
        #expect(ssh.source == .prefixes([IPv4Prefix("10.1.1.0/26")!]))
        #expect(ssh.destinationPorts == .ports(22, 3389))
        let deny = try #require(nsg.securityRules.first { $0.name == "DenyInternetOutbound" })
        #expect(deny.destination == .serviceTag("Internet") && deny.access == .deny && deny.priority == 4000)
    }

    @Test func monitorPrivateLinkScope() throws {
        let (graph, diagnostics) = Self.load("arm/privateaml-ampls/ampls.json", "arm/privateaml-ampls/ampls.parameters.json")
        #expect(!diagnostics.hasErrors, "\(diagnostics.errors)")
        let scope = try #require(graph.all(MonitorPrivateLinkScope.self).first)
        #expect(scope.scopedResources.count == 2)
        #expect(scope.ingestionAccessMode == "Open")
    }

    @Test func networkRestricted() throws {
        let (graph, diagnostics) = Self.load("arm/aml-network-restricted/azuredeploy.json", "arm/aml-network-restricted/azuredeploy.parameters.json")
        #expect(!diagnostics.hasErrors, "\(diagnostics.errors)")
        #expect(graph.all(PrivateEndpoint.self).count == 6)
        #expect(graph.all(PrivateDnsZone.self).count == 8)
        let ws = try #require(graph.all(MachineLearningWorkspace.self).first)
        #expect(ws.storageAccount != nil && ws.keyVault != nil)
        // The workspace connection is not modelled: kept as an opaque resource, never dropped.
        #expect(graph.resources.contains { $0.type == ResourceType("Microsoft.MachineLearningServices/workspaces/connections") })
    }

    @Test func extraTemplatesImport() throws {
        let (graph, diagnostics) = Self.load("arm-extra/azure-firewall-dns-proxy/azuredeploy.json", "arm-extra/azure-firewall-dns-proxy/azuredeploy.parameters.json")
        #expect(!diagnostics.hasErrors, "\(diagnostics.errors)")
        #expect(!diagnostics.items.contains { $0.message.contains("nextHopIpAddress") })
        let policy = try #require(graph.all(FirewallPolicy.self).first)
        #expect(policy.dnsProxyEnabled)
        #expect(!policy.ruleCollectionGroups.isEmpty)
        #expect(graph.all(VirtualNetwork.self).flatMap(\.peerings).count >= 1)
        let (ws, wd) = Self.load("arm-extra/avm-ml-workspace/main.json", "arm-extra/avm-ml-workspace/main.parameters.json")
        #expect(!wd.hasErrors, "\(wd.errors)")
        let workspace = try #require(ws.all(MachineLearningWorkspace.self).first)
        #expect(workspace.managedNetwork.isolationMode != .disabled)
    }

    @Test func resourceListExport() throws {
        let text = """
        {"value": [
          {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v", "name": "v",
           "type": "Microsoft.Network/virtualNetworks", "location": "westeurope",
           "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
             "subnets": [{"name": "a", "properties": {"addressPrefix": "10.0.1.0/24"}}]}},
          {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Foo/bars/b", "name": "b", "type": "Microsoft.Foo/bars"}
        ]}
        """
        let node = try Fixtures.parse(text)
        #expect(ResourceExport.isExport(node))
        let (raw, _) = ResourceExport.resources(from: node, file: "export.json")
        let (graph, _) = ARMImporter.convert(raw)
        #expect(graph.all(Subnet.self).map(\.name) == ["a"])
        #expect(graph.resources.contains { if case .opaque = $0 { return true } else { return false } })
        #expect(graph[ResourceID("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v")]?.source?.line == 2)
    }
}

/// `az group export` output is a template whose parameters all have defaults.
@Suite struct GroupExportTests {
    @Test func groupExportTemplateImports() throws {
        let text = """
        {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0",
         "parameters": {"virtualNetworks_hub_name": {"defaultValue": "hub", "type": "String"},
                        "networkSecurityGroups_nsg_externalid": {"defaultValue": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg", "type": "String"}},
         "variables": {},
         "resources": [
          {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "[parameters('virtualNetworks_hub_name')]", "location": "westeurope",
           "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "subnets": []}},
          {"type": "Microsoft.Network/virtualNetworks/subnets", "apiVersion": "2023-04-01",
           "name": "[concat(parameters('virtualNetworks_hub_name'), '/default')]",
           "dependsOn": ["[resourceId('Microsoft.Network/virtualNetworks', parameters('virtualNetworks_hub_name'))]"],
           "properties": {"addressPrefix": "10.0.0.0/24", "networkSecurityGroup": {"id": "[parameters('networkSecurityGroups_nsg_externalid')]"}}}]}
        """
        let result = TemplateEvaluator.expand(try Fixtures.parse(text), file: "export.json")
        let (graph, diagnostics) = ARMImporter.importDeployment(result)
        #expect(!diagnostics.hasErrors, "\(diagnostics.errors)")
        let subnet = try #require(graph.all(Subnet.self).first)
        #expect(subnet.virtualNetwork.name == "hub")
        #expect(subnet.networkSecurityGroup?.name == "nsg")
        #expect(ARMExpander.parseOverride("a=b=c")! == ("a", "b=c"))
        #expect(ARMExpander.parseOverride("=x") == nil)
    }
}
