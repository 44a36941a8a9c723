import Foundation
import PalisadeModel
import PalisadeNetwork
import Testing
@testable import PalisadeTerraform

/// A secured virtual hub read from a Terraform state (`terraform show -json`): the firewall's hub address, which a
/// configuration cannot state, is in its `virtual_hub` block there. With routing intent for private traffic, spoke-to-
/// spoke traffic goes through the hub's firewall, whose policy decides; the engine's traces read the same as over the
/// equivalent ARM export (https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies,
/// https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/firewall#virtual_hub,
/// https://developer.hashicorp.com/terraform/internals/json-format#values-representation).
@Suite struct SecuredHubStateTests {
    static let net = PlatformEstate.network
    static let hub = "\(net)/virtualHubs/hub"
    static let firewall = "\(net)/azureFirewalls/fw-hub"
    static let policy = "\(net)/firewallPolicies/policy"

    /// One state resource.
    static func resource(_ type: String, _ name: String, _ values: String) -> String {
        """
        {"address": "\(type).\(name)", "mode": "managed", "type": "\(type)", "name": "\(name)",
         "provider_name": "registry.terraform.io/hashicorp/azurerm", "values": \(values)}
        """
    }

    static var state: String {
        var resources = [
            resource("azurerm_resource_group", "rg", #"{"id": "/subscriptions/\#(PlatformEstate.subscription)/resourceGroups/rg", "name": "rg", "location": "westeurope"}"#),
            resource("azurerm_virtual_wan", "wan", #"{"id": "\#(net)/virtualWans/wan", "name": "wan", "resource_group_name": "rg", "location": "westeurope", "type": "Standard", "allow_branch_to_branch_traffic": true}"#),
            resource("azurerm_virtual_hub", "hub", #"{"id": "\#(hub)", "name": "hub", "resource_group_name": "rg", "location": "westeurope", "address_prefix": "10.100.0.0/23", "virtual_wan_id": "\#(net)/virtualWans/wan", "default_route_table_id": "\#(hub)/hubRouteTables/defaultRouteTable"}"#),
            resource("azurerm_firewall_policy", "policy", #"{"id": "\#(policy)", "name": "policy", "resource_group_name": "rg", "location": "westeurope", "sku": "Standard"}"#),
            resource("azurerm_firewall_policy_rule_collection_group", "spokes", #"""
            {"id": "\#(policy)/ruleCollectionGroups/spokes", "name": "spokes", "firewall_policy_id": "\#(policy)", "priority": 100,
             "network_rule_collection": [{"name": "spoke-to-spoke", "priority": 100, "action": "Allow",
               "rule": [{"name": "https", "protocols": ["TCP"], "source_addresses": ["10.1.0.0/16"], "destination_addresses": ["10.2.0.0/16"],
                         "destination_ports": ["443"]}]}]}
            """#),
            resource("azurerm_firewall", "hub", #"""
            {"id": "\#(firewall)", "name": "fw-hub", "resource_group_name": "rg", "location": "westeurope", "sku_name": "AZFW_Hub", "sku_tier": "Standard",
             "firewall_policy_id": "\#(policy)", "ip_configuration": [],
             "virtual_hub": [{"virtual_hub_id": "\#(hub)", "public_ip_count": 1, "private_ip_address": "10.100.0.132", "public_ip_addresses": ["20.1.2.3"]}]}
            """#),
            resource("azurerm_virtual_hub_routing_intent", "intent", #"""
            {"id": "\#(hub)/routingIntent/intent", "name": "intent", "virtual_hub_id": "\#(hub)",
             "routing_policy": [{"name": "PrivateTrafficPolicy", "destinations": ["PrivateTraffic"], "next_hop": "\#(firewall)"}]}
            """#),
        ]
        for i in 1...2 {
            let vnet = "\(net)/virtualNetworks/spoke\(i)"
            resources += [
                resource("azurerm_virtual_network", "spoke\(i)", #"{"id": "\#(vnet)", "name": "spoke\#(i)", "resource_group_name": "rg", "location": "westeurope", "address_space": ["10.\#(i).0.0/16"]}"#),
                resource("azurerm_subnet", "spoke\(i)", #"{"id": "\#(vnet)/subnets/app", "name": "app", "resource_group_name": "rg", "virtual_network_name": "spoke\#(i)", "address_prefixes": ["10.\#(i).0.0/24"]}"#),
                resource("azurerm_network_interface", "vm\(i)", #"""
                {"id": "\#(net)/networkInterfaces/vm\#(i)", "name": "vm\#(i)", "resource_group_name": "rg", "location": "westeurope",
                 "ip_configuration": [{"name": "ipconfig1", "subnet_id": "\#(vnet)/subnets/app", "private_ip_address_allocation": "Static", "private_ip_address": "10.\#(i).0.4"}]}
                """#),
                resource("azurerm_virtual_hub_connection", "spoke\(i)", #"""
                {"id": "\#(hub)/hubVirtualNetworkConnections/conn-spoke\#(i)", "name": "conn-spoke\#(i)", "virtual_hub_id": "\#(hub)",
                 "remote_virtual_network_id": "\#(vnet)", "internet_security_enabled": true}
                """#),
            ]
        }
        return #"{"format_version": "1.0", "terraform_version": "1.9.5", "values": {"root_module": {"resources": [\#(resources.joined(separator: ",\n"))]}}}"#
    }

    static var arm: PlatformEstate {
        var e = PlatformEstate()
        for i in 1...2 {
            e.vnet("spoke\(i)", "10.\(i).0.0/16")
            e.subnet("spoke\(i)", "app", "10.\(i).0.0/24")
            e.nic("vm\(i)", "spoke\(i)", "app", "10.\(i).0.4")
        }
        e.arm += ["""
        {"id": "\(net)/virtualWans/wan", "type": "Microsoft.Network/virtualWans", "name": "wan", "location": "westeurope",
         "properties": {"type": "Standard", "allowBranchToBranchTraffic": true}}
        """, """
        {"id": "\(hub)", "type": "Microsoft.Network/virtualHubs", "name": "hub", "location": "westeurope",
         "properties": {"addressPrefix": "10.100.0.0/23", "virtualWan": {"id": "\(net)/virtualWans/wan"}, "azureFirewall": {"id": "\(firewall)"}}}
        """, """
        {"id": "\(policy)", "type": "Microsoft.Network/firewallPolicies", "name": "policy", "location": "westeurope", "properties": {"sku": {"tier": "Standard"}}}
        """, """
        {"id": "\(policy)/ruleCollectionGroups/spokes", "type": "Microsoft.Network/firewallPolicies/ruleCollectionGroups", "name": "spokes",
         "properties": {"priority": 100, "ruleCollections": [{"ruleCollectionType": "FirewallPolicyFilterRuleCollection", "name": "spoke-to-spoke",
           "priority": 100, "action": {"type": "Allow"}, "rules": [{"ruleType": "NetworkRule", "name": "https", "ipProtocols": ["TCP"],
             "sourceAddresses": ["10.1.0.0/16"], "destinationAddresses": ["10.2.0.0/16"], "destinationPorts": ["443"]}]}]}}
        """, """
        {"id": "\(firewall)", "type": "Microsoft.Network/azureFirewalls", "name": "fw-hub", "location": "westeurope",
         "properties": {"sku": {"name": "AZFW_Hub", "tier": "Standard"}, "virtualHub": {"id": "\(hub)"}, "firewallPolicy": {"id": "\(policy)"},
           "hubIPAddresses": {"privateIPAddress": "10.100.0.132", "publicIPs": {"count": 1, "addresses": [{"address": "20.1.2.3"}]}}}}
        """, """
        {"id": "\(hub)/routingIntent/intent", "type": "Microsoft.Network/virtualHubs/routingIntent", "name": "intent",
         "properties": {"routingPolicies": [{"name": "PrivateTrafficPolicy", "destinations": ["PrivateTraffic"], "nextHop": "\(firewall)"}]}}
        """] + (1...2).map { i in """
        {"id": "\(hub)/hubVirtualNetworkConnections/conn-spoke\(i)", "type": "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections",
         "name": "conn-spoke\(i)", "properties": {"remoteVirtualNetwork": {"id": "\(net)/virtualNetworks/spoke\(i)"}, "enableInternetSecurity": true}}
        """ }
        return e
    }

    @Test func theHubFirewallDecidesSpokeTrafficAsInTheARMExport() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("palisade-state-\(UUID().uuidString).json").path
        try Self.state.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var options = TerraformOptions()
        options.environment = [:]
        let result = TerraformReader.read(path, options: options)
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.errors)")
        let firewall = try #require(result.graph.all(AzureFirewall.self).first)
        #expect(firewall.hubPrivateIPAddress == IPv4Address("10.100.0.132"))
        #expect(firewall.hubPublicIPAddresses == [IPv4Address("20.1.2.3")!])
        #expect(result.graph.all(VirtualHub.self).first?.azureFirewall == firewall.id)
        #expect(!result.assumptions.contains { $0.contains("only known after apply, so traffic through it is not modelled") })
        let arm = try Self.arm.importARM()
        #expect(PlatformEstate.resources(result.graph, VirtualHub.self) == PlatformEstate.resources(arm, VirtualHub.self))
        let traces = PlatformEstate.traces(terraform: result.graph, arm: arm, [
            ("10.1.0.4", .address(IPv4Address("10.2.0.4")!), 443), ("10.1.0.4", .address(IPv4Address("10.2.0.4")!), 80),
        ])
        #expect(traces[0].verdict == .allowed && traces[0].text.contains("fw-hub"), "\(traces[0].text)")
        #expect(traces[1].verdict == .denied && traces[1].text.contains("fw-hub"), "\(traces[1].text)")
    }
}
