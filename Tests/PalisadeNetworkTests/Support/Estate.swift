import Foundation
import PalisadeModel
@testable import PalisadeNetwork

/// A tiny builder for hand-made test graphs.
struct Estate {
    var graph = ResourceGraph()
    var location = "eastus"

    func id(_ namespace: String, _ types: [(String, String)]) -> ResourceID {
        ResourceID(subscription: "sub", resourceGroup: "rg", namespace: namespace, types.map { (type: $0.0, name: $0.1) })
    }

    @discardableResult
    mutating func vnet(_ name: String, _ space: [String], dns: [String] = []) -> ResourceID {
        var v = VirtualNetwork(id: id("Microsoft.Network", [("virtualNetworks", name)]), location: location)
        v.addressSpace = space.map { IPv4Prefix($0)! }
        v.dnsServers = dns.map { IPv4Address($0)! }
        graph.insert(v)
        return v.id
    }

    @discardableResult
    mutating func subnet(_ vnet: ResourceID, _ name: String, _ prefix: String, nsg: ResourceID? = nil, routeTable: ResourceID? = nil,
                         policies: PrivateEndpointNetworkPolicies = .disabled, defaultOutbound: Bool? = nil,
                         serviceEndpoints: [String] = []) -> ResourceID {
        var s = Subnet(id: vnet.child("subnets", name))
        s.addressPrefixes = [IPv4Prefix(prefix)!]
        s.networkSecurityGroup = nsg
        s.routeTable = routeTable
        s.privateEndpointNetworkPolicies = policies
        s.defaultOutboundAccess = defaultOutbound
        s.serviceEndpoints = serviceEndpoints.map { ServiceEndpoint(service: $0) }
        graph.insert(s)
        return s.id
    }

    @discardableResult
    mutating func nsg(_ name: String, _ rules: [SecurityRule]) -> ResourceID {
        var n = NetworkSecurityGroup(id: id("Microsoft.Network", [("networkSecurityGroups", name)]), location: location)
        n.securityRules = rules
        graph.insert(n)
        return n.id
    }

    @discardableResult
    mutating func pip(_ name: String, _ address: String) -> ResourceID {
        var p = PublicIPAddress(id: id("Microsoft.Network", [("publicIPAddresses", name)]), location: location)
        p.ipAddress = IPv4Address(address)!
        graph.insert(p)
        return p.id
    }

    @discardableResult
    mutating func nic(_ name: String, subnet: ResourceID, ip: String?, nsg: ResourceID? = nil, pip: ResourceID? = nil,
                      forwarding: Bool = false, asgs: [ResourceID] = []) -> ResourceID {
        var n = NetworkInterface(id: id("Microsoft.Network", [("networkInterfaces", name)]), location: location)
        var config = IPConfiguration(name: "ipconfig1", subnet: subnet, privateIPAddress: ip.map { IPv4Address($0)! }, publicIPAddress: pip)
        config.applicationSecurityGroups = asgs
        n.ipConfigurations = [config]
        n.networkSecurityGroup = nsg
        n.enableIPForwarding = forwarding
        graph.insert(n)
        return n.id
    }

    @discardableResult
    mutating func routeTable(_ name: String, _ routes: [Route]) -> ResourceID {
        var t = RouteTable(id: id("Microsoft.Network", [("routeTables", name)]), location: location)
        t.routes = routes
        graph.insert(t)
        return t.id
    }

    mutating func peer(_ a: ResourceID, _ b: ResourceID, forwardedIntoA: Bool = false, forwardedIntoB: Bool = false) {
        graph.update(a, as: VirtualNetwork.self) { v in
            var p = VirtualNetworkPeering(name: "to-\(b.name)", remoteVirtualNetwork: b)
            p.allowForwardedTraffic = forwardedIntoA
            v.peerings.append(p)
        }
        graph.update(b, as: VirtualNetwork.self) { v in
            var p = VirtualNetworkPeering(name: "to-\(a.name)", remoteVirtualNetwork: a)
            p.allowForwardedTraffic = forwardedIntoB
            v.peerings.append(p)
        }
    }

    @discardableResult
    mutating func firewall(_ name: String, subnet: ResourceID, ip: String, policy: ResourceID? = nil, pip: ResourceID? = nil,
                           classic: (inout AzureFirewall) -> Void = { _ in }) -> ResourceID {
        var f = AzureFirewall(id: id("Microsoft.Network", [("azureFirewalls", name)]), location: location)
        f.ipConfigurations = [IPConfiguration(name: "cfg", subnet: subnet, privateIPAddress: IPv4Address(ip)!, publicIPAddress: pip)]
        f.firewallPolicy = policy
        classic(&f)
        graph.insert(f)
        return f.id
    }

    @discardableResult
    mutating func policy(_ name: String, _ groups: [FirewallRuleCollectionGroup], dnsProxy: Bool = false) -> ResourceID {
        var p = FirewallPolicy(id: id("Microsoft.Network", [("firewallPolicies", name)]), location: location)
        p.ruleCollectionGroups = groups
        p.dnsProxyEnabled = dnsProxy
        graph.insert(p)
        return p.id
    }

    @discardableResult
    mutating func zone(_ name: String, links: [(ResourceID, String)] = [], records: [DnsRecordSet] = []) -> ResourceID {
        var z = PrivateDnsZone(id: id("Microsoft.Network", [("privateDnsZones", name)]))
        z.virtualNetworkLinks = links.map { var l = VirtualNetworkLink(name: "link-\($0.0.name)", virtualNetwork: $0.0); l.resolutionPolicy = $0.1; return l }
        z.recordSets = records
        graph.insert(z)
        return z.id
    }

    @discardableResult
    mutating func privateEndpoint(_ name: String, subnet: ResourceID, target: ResourceID, group: String, ip: String? = nil,
                                  zones: [ResourceID] = []) -> ResourceID {
        var p = PrivateEndpoint(id: id("Microsoft.Network", [("privateEndpoints", name)]), location: location)
        p.subnet = subnet
        p.target = target
        p.groupIDs = [group]
        if let ip { p.ipConfigurations = [PrivateEndpointIPConfiguration(name: "c", groupID: group, memberName: "default", privateIPAddress: IPv4Address(ip)!)] }
        if !zones.isEmpty { p.privateDnsZoneGroup = PrivateDnsZoneGroup(zones: zones) }
        graph.insert(p)
        return p.id
    }

    @discardableResult
    mutating func storage(_ name: String, publicAccess: EnablementState? = nil, defaultAction: NetworkAction = .allow) -> ResourceID {
        var s = StorageAccount(id: id("Microsoft.Storage", [("storageAccounts", name)]), location: location)
        s.publicNetworkAccess = publicAccess
        s.networkACLs.defaultAction = defaultAction
        graph.insert(s)
        return s.id
    }

    func compile(_ configure: (inout NetworkOptions) -> Void = { _ in }) -> NetworkModel {
        var options = NetworkOptions()
        configure(&options)
        return NetworkModel.compile(graph, options: options)
    }
}

func rule(_ name: String, _ priority: Int, _ direction: SecurityRule.Direction, _ access: SecurityRule.Access,
          _ proto: NetworkProtocol = .any, from source: AddressMatch = .any, to destination: AddressMatch = .any,
          ports: PortMatch = .any, sourcePorts: PortMatch = .any) -> SecurityRule {
    SecurityRule(name: name, priority: priority, direction: direction, access: access, protocol: proto, source: source,
                 sourcePorts: sourcePorts, destination: destination, destinationPorts: ports)
}

func cidrs(_ texts: String...) -> AddressMatch { .prefixes(texts.map { IPv4Prefix.parse($0)!.prefix }) }
func ip(_ text: String) -> IPv4Address { IPv4Address(text)! }
func udr(_ name: String, _ destination: String, _ hop: NextHopType, _ nextHop: String? = nil) -> Route {
    Route(name: name, destination: RouteDestination.parse(destination), nextHopType: hop, nextHopIPAddress: nextHop.map { IPv4Address($0)! })
}

/// The real ServiceTags fixture (never copied into the repo).
enum Fixtures {
    static let serviceTagsPath: String = {
        let here = URL(fileURLWithPath: #filePath)
        let root = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent("../shared/fixtures/service-tags/ServiceTags_Public_20251028.json").standardized.path
    }()
    static let serviceTags: ServiceTagCatalog = (try? ServiceTagCatalog.load(path: serviceTagsPath)) ?? .symbolic
}
