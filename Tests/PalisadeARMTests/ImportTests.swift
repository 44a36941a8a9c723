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

/// Platform resources read from a resource export: load balancers, on-premises sites and connections, a gateway's
/// default site, DNS private resolvers and forwarding rulesets, private endpoint static addresses and NIC pool
/// membership (property names from https://learn.microsoft.com/azure/templates/microsoft.network/loadbalancers,
/// …/localnetworkgateways, …/connections, …/dnsresolvers, …/dnsforwardingrulesets, …/privateendpoints).
@Suite struct HybridAndResolverImportTests {
    @Test func platformResourcesImport() throws {
        let rg = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network"
        let text = """
        {"value": [
          {"id": "\(rg)/virtualNetworks/hub", "name": "hub", "type": "Microsoft.Network/virtualNetworks", "location": "westeurope",
           "properties": {"addressSpace": {"addressPrefixes": ["10.10.0.0/16"]},
             "subnets": [{"name": "GatewaySubnet", "properties": {"addressPrefix": "10.10.255.0/27"}},
                         {"name": "inbound", "properties": {"addressPrefix": "10.10.0.0/28"}},
                         {"name": "web", "properties": {"addressPrefix": "10.10.1.0/24"}}]}},
          {"id": "\(rg)/localNetworkGateways/DefaultSiteHQ", "name": "DefaultSiteHQ", "type": "Microsoft.Network/localNetworkGateways",
           "properties": {"gatewayIpAddress": "111.111.111.111", "localNetworkAddressSpace": {"addressPrefixes": ["192.168.1.0/24"]}}},
          {"id": "\(rg)/virtualNetworkGateways/gw", "name": "gw", "type": "Microsoft.Network/virtualNetworkGateways",
           "properties": {"gatewayType": "Vpn", "gatewayDefaultSite": {"id": "\(rg)/localNetworkGateways/DefaultSiteHQ"},
             "ipConfigurations": [{"name": "g", "properties": {"subnet": {"id": "\(rg)/virtualNetworks/hub/subnets/GatewaySubnet"}}}]}},
          {"id": "\(rg)/connections/hq", "name": "hq", "type": "Microsoft.Network/connections",
           "properties": {"connectionType": "IPsec", "sharedKey": "not-kept", "virtualNetworkGateway1": {"id": "\(rg)/virtualNetworkGateways/gw"},
             "localNetworkGateway2": {"id": "\(rg)/localNetworkGateways/DefaultSiteHQ"}}},
          {"id": "\(rg)/dnsResolvers/resolver", "name": "resolver", "type": "Microsoft.Network/dnsResolvers",
           "properties": {"virtualNetwork": {"id": "\(rg)/virtualNetworks/hub"}}},
          {"id": "\(rg)/dnsResolvers/resolver/inboundEndpoints/in", "name": "in", "type": "Microsoft.Network/dnsResolvers/inboundEndpoints",
           "properties": {"ipConfigurations": [{"subnet": {"id": "\(rg)/virtualNetworks/hub/subnets/inbound"}, "privateIpAddress": "10.10.0.4", "privateIpAllocationMethod": "Static"}]}},
          {"id": "\(rg)/dnsForwardingRulesets/rs", "name": "rs", "type": "Microsoft.Network/dnsForwardingRulesets",
           "properties": {"dnsResolverOutboundEndpoints": [{"id": "\(rg)/dnsResolvers/resolver/outboundEndpoints/out"}]}},
          {"id": "\(rg)/dnsForwardingRulesets/rs/forwardingRules/Contoso", "name": "Contoso", "type": "Microsoft.Network/dnsForwardingRulesets/forwardingRules",
           "properties": {"domainName": "contoso.com.", "targetDnsServers": [{"ipAddress": "10.100.0.2", "port": 53}], "forwardingRuleState": "Enabled"}},
          {"id": "\(rg)/dnsForwardingRulesets/rs/virtualNetworkLinks/hub", "name": "hub", "type": "Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks",
           "properties": {"virtualNetwork": {"id": "\(rg)/virtualNetworks/hub"}}},
          {"id": "\(rg)/loadBalancers/lb", "name": "lb", "type": "Microsoft.Network/loadBalancers", "sku": {"name": "Standard"},
           "properties": {"frontendIPConfigurations": [{"name": "fe", "properties": {"subnet": {"id": "\(rg)/virtualNetworks/hub/subnets/web"}, "privateIPAddress": "10.10.1.100"}}],
             "backendAddressPools": [{"name": "pool"}],
             "loadBalancingRules": [{"name": "http", "properties": {"frontendIPConfiguration": {"id": "\(rg)/loadBalancers/lb/frontendIPConfigurations/fe"},
               "backendAddressPool": {"id": "\(rg)/loadBalancers/lb/backendAddressPools/pool"}, "protocol": "Tcp", "frontendPort": 80, "backendPort": 8080,
               "probe": {"id": "\(rg)/loadBalancers/lb/probes/p"}}}],
             "inboundNatRules": [{"name": "ssh", "properties": {"frontendIPConfiguration": {"id": "\(rg)/loadBalancers/lb/frontendIPConfigurations/fe"}, "protocol": "Tcp", "frontendPort": 50001, "backendPort": 22}}],
             "probes": [{"name": "p", "properties": {"protocol": "Tcp", "port": 8080}}]}},
          {"id": "\(rg)/networkInterfaces/web-nic", "name": "web-nic", "type": "Microsoft.Network/networkInterfaces",
           "properties": {"ipConfigurations": [{"name": "ipconfig1", "properties": {"subnet": {"id": "\(rg)/virtualNetworks/hub/subnets/web"}, "privateIPAddress": "10.10.1.4",
             "loadBalancerBackendAddressPools": [{"id": "\(rg)/loadBalancers/lb/backendAddressPools/pool"}],
             "loadBalancerInboundNatRules": [{"id": "\(rg)/loadBalancers/lb/inboundNatRules/ssh"}]}}]}},
          {"id": "\(rg)/privateEndpoints/pe", "name": "pe", "type": "Microsoft.Network/privateEndpoints",
           "properties": {"subnet": {"id": "\(rg)/virtualNetworks/hub/subnets/web"}, "customNetworkInterfaceName": "pe-nic",
             "privateLinkServiceConnections": [{"name": "c", "properties": {"privateLinkServiceId": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app", "groupIds": ["sites"]}}],
             "ipConfigurations": [{"name": "ip", "properties": {"groupId": "sites", "memberName": "sites", "privateIPAddress": "10.10.1.10"}}]}}
        ]}
        """
        let node = try Fixtures.parse(text)
        let (raw, _) = ResourceExport.resources(from: node, file: "export.json")
        let (graph, _) = ARMImporter.convert(raw)
        let site = try #require(graph.all(LocalNetworkGateway.self).first)
        #expect(site.addressPrefixes.map(\.description) == ["192.168.1.0/24"] && site.gatewayIPAddress == "111.111.111.111")
        #expect(graph.all(VirtualNetworkGateway.self).first?.gatewayDefaultSite == site.id)
        let connection = try #require(graph.all(VirtualNetworkGatewayConnection.self).first)
        #expect(connection.connectionType == "IPsec" && connection.localNetworkGateway == site.id && connection.virtualNetworkGateway?.name == "gw")
        let resolver = try #require(graph.all(DnsResolver.self).first)
        #expect(resolver.virtualNetwork?.name == "hub" && resolver.inboundEndpoints.first?.privateIPAddress?.description == "10.10.0.4")
        let ruleset = try #require(graph.all(DnsForwardingRuleset.self).first)
        #expect(ruleset.rules.first?.domainName == "contoso.com." && ruleset.rules.first?.targetDnsServers.first?.ipAddress.description == "10.100.0.2")
        #expect(ruleset.virtualNetworkLinks.map(\.virtualNetwork.name) == ["hub"] && ruleset.outboundEndpoints.first?.name == "out")
        let lb = try #require(graph.all(LoadBalancer.self).first)
        #expect(lb.frontends.first?.privateIPAddress?.description == "10.10.1.100")
        let rule = try #require(lb.rules.first)
        #expect(rule.frontend == "fe" && rule.backendPool == "pool" && rule.frontendPort == 80 && rule.backendPort == 8080 && rule.probe == "p")
        #expect(lb.inboundNatRules.first?.backendPort == 22 && lb.probes.first?.port == 8080)
        let nic = try #require(graph.all(NetworkInterface.self).first)
        #expect(nic.ipConfigurations.first?.loadBalancerBackendAddressPools?.first?.name == "pool")
        #expect(nic.ipConfigurations.first?.loadBalancerInboundNatRules?.first?.name == "ssh")
        let pe = try #require(graph.all(PrivateEndpoint.self).first)
        #expect(pe.customNetworkInterfaceName == "pe-nic" && pe.ipConfigurations.first?.privateIPAddress.description == "10.10.1.10")
    }
}

/// A private endpoint's interface in an export carries the endpoint's address; it becomes the endpoint's, not a
/// separate machine (https://learn.microsoft.com/azure/private-link/manage-private-endpoint).
@Suite struct PrivateEndpointInterfaceImportTests {
    @Test func theInterfaceAddressBelongsToTheEndpoint() throws {
        let rg = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network"
        let text = """
        {"value": [
          {"id": "\(rg)/networkInterfaces/pe-blob.nic.0c1e", "name": "pe-blob.nic.0c1e", "type": "Microsoft.Network/networkInterfaces",
           "properties": {"privateEndpoint": {"id": "\(rg)/privateEndpoints/pe-blob"},
             "ipConfigurations": [{"name": "privateEndpointIpConfig.1", "properties": {"subnet": {"id": "\(rg)/virtualNetworks/v/subnets/pe"},
               "privateIPAddress": "10.0.2.37", "privateLinkConnectionProperties": {"groupId": "blob", "requiredMemberName": "blob"}}}]}},
          {"id": "\(rg)/privateEndpoints/pe-blob", "name": "pe-blob", "type": "Microsoft.Network/privateEndpoints",
           "properties": {"subnet": {"id": "\(rg)/virtualNetworks/v/subnets/pe"},
             "privateLinkServiceConnections": [{"name": "c", "properties": {"privateLinkServiceId": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct", "groupIds": ["blob"]}}]}},
          {"id": "\(rg)/networkInterfaces/orphan.nic", "name": "orphan.nic", "type": "Microsoft.Network/networkInterfaces",
           "properties": {"privateEndpoint": {"id": "\(rg)/privateEndpoints/gone"},
             "ipConfigurations": [{"name": "c", "properties": {"subnet": {"id": "\(rg)/virtualNetworks/v/subnets/pe"}, "privateIPAddress": "10.0.2.38"}}]}}
        ]}
        """
        let (raw, _) = ResourceExport.resources(from: try Fixtures.parse(text), file: "export.json")
        let (graph, _) = ARMImporter.convert(raw)
        #expect(graph.all(NetworkInterface.self).map(\.name) == ["orphan.nic"])
        let pe = try #require(graph.all(PrivateEndpoint.self).first)
        #expect(pe.ipConfigurations.map(\.privateIPAddress.description) == ["10.0.2.37"])
        #expect(pe.ipConfigurations.first?.groupID == "blob" && pe.ipConfigurations.first?.memberName == "blob")
    }
}
