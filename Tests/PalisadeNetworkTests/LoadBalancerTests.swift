import PalisadeModel
import Testing
@testable import PalisadeNetwork

/// Load balancers as destinations: a frontend's load-balancing rule forwards to the healthy members of the backend
/// pool on the backend port, the original source kept, so the members' security groups decide; a member is healthy
/// when its security groups let the probe from `AzureLoadBalancer` (168.63.129.16) in; an inbound NAT rule maps one
/// frontend port to one member. The quickstart's layout: myVNet 10.1.0.0/16, myBackendSubnet 10.1.0.0/24 with myNSG
/// allowing HTTP, the rule myHTTPRule TCP 80 → 80, the probe myHealthProbe on TCP 80
/// (https://learn.microsoft.com/azure/load-balancer/quickstart-load-balancer-standard-public-portal,
/// https://learn.microsoft.com/azure/load-balancer/components,
/// https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#azure-load-balancer).
@Suite struct LoadBalancerTests {
    static func model(public isPublic: Bool, refuseProbe: Bool = false) -> (NetworkModel, IPv4Address) {
        var e = Estate()
        let vnet = e.vnet("myVNet", ["10.1.0.0/16"])
        var rules = [rule("AllowHTTP", 100, .inbound, .allow, .tcp, from: .serviceTag("Internet"), ports: .ports(80)),
                     rule("AllowSSHFromInternet", 110, .inbound, .allow, .tcp, from: .serviceTag("Internet"), ports: .ports(22))]
        if refuseProbe { rules.append(rule("DenyProbe", 90, .inbound, .deny, .any, from: .serviceTag("AzureLoadBalancer"))) }
        let nsg = e.nsg("myNSG", rules)
        let backend = e.subnet(vnet, "myBackendSubnet", "10.1.0.0/24", nsg: nsg)
        let clients = e.subnet(vnet, "clients", "10.1.1.0/24")
        e.nic("client", subnet: clients, ip: "10.1.1.4")
        let pool = e.id("Microsoft.Network", [("loadBalancers", "myLoadBalancer")]).child("backendAddressPools", "myBackendPool")
        let natRule = e.id("Microsoft.Network", [("loadBalancers", "myLoadBalancer")]).child("inboundNatRules", "mySSHRule")
        for (name, address) in [("myVM1", "10.1.0.4"), ("myVM2", "10.1.0.5")] {
            let nic = e.nic(name, subnet: backend, ip: address)
            e.graph.update(nic, as: NetworkInterface.self) {
                $0.ipConfigurations[0].loadBalancerBackendAddressPools = [pool]
                if name == "myVM1" { $0.ipConfigurations[0].loadBalancerInboundNatRules = [natRule] }
            }
        }
        var lb = LoadBalancer(id: e.id("Microsoft.Network", [("loadBalancers", "myLoadBalancer")]))
        let frontend: IPv4Address
        if isPublic {
            frontend = ip("20.30.40.50")
            lb.frontends = [LoadBalancerFrontend(name: "myFrontend", publicIPAddress: e.pip("myPublicIP", "20.30.40.50"))]
        } else {
            frontend = ip("10.1.0.100")
            lb.frontends = [LoadBalancerFrontend(name: "myFrontend", subnet: backend, privateIPAddress: frontend)]
        }
        lb.backendPools = [LoadBalancerBackendPool(name: "myBackendPool")]
        var http = LoadBalancingRule(name: "myHTTPRule", frontend: "myFrontend", backendPool: "myBackendPool", frontendPort: 80, backendPort: 80)
        http.probe = "myHealthProbe"
        lb.rules = [http]
        lb.inboundNatRules = [InboundNatRule(name: "mySSHRule", frontend: "myFrontend", frontendPort: 50001, backendPort: 22)]
        lb.probes = [LoadBalancerProbe(name: "myHealthProbe", port: 80)]
        e.graph.insert(lb)
        return (e.compile(), frontend)
    }

    static func expect(_ model: NetworkModel, from source: TraceSource, sourceIP: IPv4Address, to frontend: IPv4Address, port: Int,
                       _ proto: IPProtocol = .tcp, allowed: Bool, _ text: String? = nil) throws {
        let packet = Packet(source: .ip(sourceIP), destination: .ip(frontend), protocol: proto, destinationPort: port)
        let trace = model.trace(packet: packet, from: source)
        #expect((trace.verdict == .allowed) == allowed, "\(port)\n\(trace.text)")
        if let text { #expect(trace.text.contains(text), "\(trace.text)") }
        let reach = try #require(model.reach(from: source).sources.first)
        #expect(reach.allowed.contains(packet) == allowed, "reach \(port)")
    }

    @Test func thePublicFrontendForwardsHTTPToThePoolAndSSHOnlyThroughTheNATRule() throws {
        let (model, frontend) = Self.model(public: true)
        let client = ip("203.0.113.10")
        try Self.expect(model, from: .internet, sourceIP: client, to: frontend, port: 80, allowed: true, "myHTTPRule")
        try Self.expect(model, from: .internet, sourceIP: client, to: frontend, port: 50001, allowed: true, "10.1.0.4:22")
        try Self.expect(model, from: .internet, sourceIP: client, to: frontend, port: 22, allowed: false, "no load-balancing or inbound NAT rule")
        try Self.expect(model, from: .internet, sourceIP: client, to: frontend, port: 80, .udp, allowed: false)
        #expect(try model.destination(named: "myPublicIP", from: .internet) == .address(frontend))
        #expect(try model.destination(named: "myLoadBalancer", from: .internet) == .address(frontend))
        #expect(model.reach(from: .internet).summary(FlowFolder(model: model)).text.contains("myLoadBalancer (load balancer, public IP)"))
    }

    @Test func membersThatRefuseTheProbeGetNoTraffic() throws {
        let (model, frontend) = Self.model(public: true, refuseProbe: true)
        try Self.expect(model, from: .internet, sourceIP: ip("203.0.113.10"), to: frontend, port: 80, allowed: false, "health probe")
        // An inbound NAT rule does not depend on the probe.
        try Self.expect(model, from: .internet, sourceIP: ip("203.0.113.10"), to: frontend, port: 50001, allowed: true)
    }

    @Test func anInternalFrontendIsReachedFromTheVirtualNetwork() throws {
        let (model, frontend) = Self.model(public: false)
        let source = TraceSource.address(ip("10.1.1.4"))
        try Self.expect(model, from: source, sourceIP: ip("10.1.1.4"), to: frontend, port: 80, allowed: true, "myHTTPRule")
        try Self.expect(model, from: source, sourceIP: ip("10.1.1.4"), to: frontend, port: 443, allowed: false)
        #expect(try model.destination(named: "myLoadBalancer", from: source) == .address(frontend))
    }

    /// Next hop "Virtual network" (VnetLocal) routes within the address space of the route table's own VNet
    /// (https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#next-hop-types-across-azure-tools):
    /// a user route 0.0.0.0/0 → VnetLocal in an unpeered VNet cannot hand a packet to another VNet's internal load
    /// balancer frontend or private endpoint. Trace and reach both drop it (they once disagreed: the trace looked the
    /// frontend up in every VNet).
    @Test func vnetLocalRoutesDoNotReachAnotherVNetsFrontendsOrEndpoints() throws {
        var e = Estate()
        let one = e.vnet("spoke1", ["10.1.0.0/16"])
        let two = e.vnet("spoke2", ["10.2.0.0/16"])
        let backend = e.subnet(one, "backend", "10.1.0.0/24")
        let nic = e.nic("vm1", subnet: backend, ip: "10.1.0.4")
        let pool = e.id("Microsoft.Network", [("loadBalancers", "ilb")]).child("backendAddressPools", "pool")
        e.graph.update(nic, as: NetworkInterface.self) { $0.ipConfigurations[0].loadBalancerBackendAddressPools = [pool] }
        var lb = LoadBalancer(id: e.id("Microsoft.Network", [("loadBalancers", "ilb")]))
        lb.frontends = [LoadBalancerFrontend(name: "fe", subnet: backend, privateIPAddress: ip("10.1.0.100"))]
        lb.backendPools = [LoadBalancerBackendPool(name: "pool")]
        lb.rules = [LoadBalancingRule(name: "web", frontend: "fe", backendPool: "pool", frontendPort: 80, backendPort: 80)]
        e.graph.insert(lb)
        e.privateEndpoint("pe-st", subnet: backend, target: e.storage("stone"), group: "blob", ip: "10.1.0.200")
        let local = e.routeTable("rt-local", [Route(name: "u1", destination: .prefix(IPv4Prefix("0.0.0.0/0")!), nextHopType: .vnetLocal)])
        e.subnet(two, "clients", "10.2.1.0/24", routeTable: local)
        e.nic("client", subnet: e.id("Microsoft.Network", [("virtualNetworks", "spoke2")]).child("subnets", "clients"), ip: "10.2.1.5")
        let model = e.compile()
        for destination in ["10.1.0.100", "10.1.0.200"] {
            let packet = Packet(source: .ip(ip("10.2.1.5")), destination: .ip(ip(destination)), protocol: .tcp, destinationPort: 80)
            let trace = model.trace(packet: packet, from: .address(ip("10.2.1.5")))
            #expect(trace.verdict == .denied, "\(destination)\n\(trace.text)")
            let reach = try #require(model.reach(from: .address(ip("10.2.1.5"))).sources.first)
            #expect(!reach.allowed.contains(packet), "reach \(destination)")
        }
        // Peered, the same frontend and endpoint are reached over the peering.
        e.peer(one, two)
        let peered = e.compile()
        for destination in ["10.1.0.100", "10.1.0.200"] {
            let packet = Packet(source: .ip(ip("10.2.1.5")), destination: .ip(ip(destination)), protocol: .tcp, destinationPort: 80)
            #expect(peered.trace(packet: packet, from: .address(ip("10.2.1.5"))).verdict == .allowed, "\(destination)")
        }
    }
}
