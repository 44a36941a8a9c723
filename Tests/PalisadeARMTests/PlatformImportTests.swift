import Foundation
import PalisadeModel
import Testing
@testable import PalisadeARM

/// Virtual Network Manager and Virtual WAN resources as `az resource list` shows them, children merged into parents.
@Suite struct PlatformImportTests {
    static let sub = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-platform/providers/Microsoft.Network"
    static let export = """
    [
      {"id": "\(sub)/networkManagers/avnm", "type": "Microsoft.Network/networkManagers", "name": "avnm", "location": "westeurope",
       "properties": {"networkManagerScopeAccesses": ["SecurityAdmin", "Connectivity"], "networkManagerScopes": {"subscriptions": []}}},
      {"id": "\(sub)/networkManagers/avnm/networkGroups/spokes", "type": "Microsoft.Network/networkManagers/networkGroups", "name": "spokes",
       "properties": {"memberType": "VirtualNetwork"}},
      {"id": "\(sub)/networkManagers/avnm/networkGroups/spokes/staticMembers/spoke1", "type": "Microsoft.Network/networkManagers/networkGroups/staticMembers",
       "name": "spoke1", "properties": {"resourceId": "\(sub)/virtualNetworks/spoke1"}},
      {"id": "\(sub)/networkManagers/avnm/securityAdminConfigurations/baseline", "type": "Microsoft.Network/networkManagers/securityAdminConfigurations",
       "name": "baseline", "properties": {}},
      {"id": "\(sub)/networkManagers/avnm/securityAdminConfigurations/baseline/ruleCollections/high-risk",
       "type": "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections", "name": "high-risk",
       "properties": {"appliesToGroups": [{"networkGroupId": "\(sub)/networkManagers/avnm/networkGroups/spokes"}]}},
      {"id": "\(sub)/networkManagers/avnm/securityAdminConfigurations/baseline/ruleCollections/high-risk/rules/deny-rdp",
       "type": "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections/rules", "name": "deny-rdp", "kind": "Custom",
       "properties": {"access": "Deny", "direction": "Inbound", "priority": 10, "protocol": "Tcp",
                      "sources": [{"addressPrefix": "Internet", "addressPrefixType": "ServiceTag"}],
                      "destinations": [{"addressPrefix": "*", "addressPrefixType": "IPPrefix"}],
                      "sourcePortRanges": ["0-65535"], "destinationPortRanges": ["3389", "22"]}},
      {"id": "\(sub)/networkManagers/avnm/connectivityConfigurations/hubspoke", "type": "Microsoft.Network/networkManagers/connectivityConfigurations",
       "name": "hubspoke", "properties": {"connectivityTopology": "HubAndSpoke", "hubs": [{"resourceId": "\(sub)/virtualNetworks/hub", "resourceType": "Microsoft.Network/virtualNetworks"}],
         "appliesToGroups": [{"networkGroupId": "\(sub)/networkManagers/avnm/networkGroups/spokes", "groupConnectivity": "DirectlyConnected", "useHubGateway": "True", "isGlobal": "False"}],
         "deleteExistingPeering": "True", "isGlobal": "False"}},
      {"id": "\(sub)/virtualWans/vwan", "type": "Microsoft.Network/virtualWans", "name": "vwan", "location": "westeurope",
       "properties": {"type": "Standard", "allowBranchToBranchTraffic": true}},
      {"id": "\(sub)/virtualHubs/hub-weu", "type": "Microsoft.Network/virtualHubs", "name": "hub-weu", "location": "westeurope",
       "properties": {"addressPrefix": "10.100.0.0/23", "virtualWan": {"id": "\(sub)/virtualWans/vwan"}, "azureFirewall": {"id": "\(sub)/azureFirewalls/fw-hub"}}},
      {"id": "\(sub)/virtualHubs/hub-weu/hubRouteTables/RT_Shared", "type": "Microsoft.Network/virtualHubs/hubRouteTables", "name": "RT_Shared",
       "properties": {"labels": ["shared"], "routes": [{"name": "to-nva", "destinationType": "CIDR", "destinations": ["10.50.0.0/16"],
                      "nextHopType": "ResourceId", "nextHop": "\(sub)/virtualHubs/hub-weu/hubVirtualNetworkConnections/spoke1"}]}},
      {"id": "\(sub)/virtualHubs/hub-weu/hubVirtualNetworkConnections/spoke1", "type": "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections",
       "name": "spoke1", "properties": {"remoteVirtualNetwork": {"id": "\(sub)/virtualNetworks/spoke1"}, "enableInternetSecurity": true,
         "routingConfiguration": {"associatedRouteTable": {"id": "\(sub)/virtualHubs/hub-weu/hubRouteTables/RT_Shared"},
           "propagatedRouteTables": {"ids": [{"id": "\(sub)/virtualHubs/hub-weu/hubRouteTables/defaultRouteTable"}], "labels": ["default"]},
           "vnetRoutes": {"staticRoutes": [{"name": "nva", "addressPrefixes": ["10.50.0.0/16"], "nextHopIpAddress": "10.1.0.4"}]}}}},
      {"id": "\(sub)/virtualHubs/hub-weu/routingIntent/intent", "type": "Microsoft.Network/virtualHubs/routingIntent", "name": "intent",
       "properties": {"routingPolicies": [{"name": "InternetTraffic", "destinations": ["Internet"], "nextHop": "\(sub)/azureFirewalls/fw-hub"},
                                          {"name": "PrivateTrafficPolicy", "destinations": ["PrivateTraffic"], "nextHop": "\(sub)/azureFirewalls/fw-hub"}]}},
      {"id": "\(sub)/azureFirewalls/fw-hub", "type": "Microsoft.Network/azureFirewalls", "name": "fw-hub", "location": "westeurope",
       "properties": {"sku": {"name": "AZFW_Hub", "tier": "Standard"}, "virtualHub": {"id": "\(sub)/virtualHubs/hub-weu"},
         "hubIPAddresses": {"privateIPAddress": "10.100.0.132", "publicIPs": {"count": 1, "addresses": [{"address": "20.1.2.3"}]}}}}
    ]
    """

    static func importExport() throws -> (ResourceGraph, Diagnostics) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("palisade-platform-\(UUID().uuidString).json").path
        try export.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return ARMImporter.importFile(path)
    }

    @Test func networkManagerChildrenMergeIntoTheManager() throws {
        let (graph, diagnostics) = try Self.importExport()
        #expect(!diagnostics.hasErrors, "\(diagnostics.errors)")
        let manager = try #require(graph.all(NetworkManager.self).first)
        #expect(manager.scopeAccesses == ["SecurityAdmin", "Connectivity"])
        #expect(manager.networkGroups.map(\.name) == ["spokes"])
        #expect(manager.networkGroups.first?.staticMembers.map(\.name) == ["spoke1"])
        let collection = try #require(manager.securityAdminConfigurations.first?.ruleCollections.first)
        #expect(collection.appliesToGroups.map(\.name) == ["spokes"])
        let rule = try #require(collection.rules.first)
        #expect(rule.action == .deny && rule.direction == .inbound && rule.priority == 10 && rule.protocol == .tcp)
        #expect(rule.sources == [.serviceTag("Internet")])
        #expect(rule.destinations == [.any])
        #expect(rule.destinationPorts == .ranges([PortRange(3389), PortRange(22)]))
        let connectivity = try #require(manager.connectivityConfigurations.first)
        #expect(connectivity.topology == .hubAndSpoke)
        #expect(connectivity.hubs.map(\.name) == ["hub"])
        #expect(connectivity.groups.first?.directlyConnected == true)
        #expect(connectivity.groups.first?.useHubGateway == true)
    }

    @Test func virtualHubChildrenMergeIntoTheHub() throws {
        let (graph, diagnostics) = try Self.importExport()
        #expect(!diagnostics.hasErrors, "\(diagnostics.errors)")
        #expect(graph.all(VirtualWAN.self).first?.wanType == "Standard")
        let hub = try #require(graph.all(VirtualHub.self).first)
        #expect(hub.addressPrefix == IPv4Prefix("10.100.0.0/23"))
        #expect(hub.azureFirewall?.name == "fw-hub")
        let connection = try #require(hub.virtualNetworkConnections.first)
        #expect(connection.remoteVirtualNetwork.name == "spoke1")
        #expect(connection.enableInternetSecurity)
        #expect(connection.associatedRouteTable?.name == "RT_Shared")
        #expect(connection.propagatedRouteTables?.map(\.name) == ["defaultRouteTable"])
        #expect(connection.propagatedLabels == ["default"])
        #expect(connection.staticRoutes.first?.nextHopIPAddress == IPv4Address("10.1.0.4"))
        let table = try #require(hub.routeTables.first)
        #expect(table.labels == ["shared"])
        #expect(table.routes.first?.destinations == [IPv4Prefix("10.50.0.0/16")!])
        #expect(hub.routingIntent?.nextHop(for: .internet)?.name == "fw-hub")
        #expect(hub.routingIntent?.nextHop(for: .privateTraffic)?.name == "fw-hub")
        let firewall = try #require(graph.all(AzureFirewall.self).first)
        #expect(firewall.virtualHub?.name == "hub-weu")
        #expect(firewall.privateIPAddress == IPv4Address("10.100.0.132"))
        #expect(firewall.hubPublicIPAddresses == [IPv4Address("20.1.2.3")!])
    }
}
