import Foundation
import PalisadeModel
import PalisadeNetwork
import Testing
@testable import PalisadeTerraform

/// The platform resources of a landing zone read from Terraform map to the same model objects as the equivalent ARM
/// resources, and the engine gives the same traces over both. Each configuration follows the example of the azurerm
/// documentation page of its types (https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/…).
@Suite struct PlatformMappingTests {
    static let net = PlatformEstate.network

    // MARK: - Load balancers

    /// The azurerm `lb`, `lb_backend_address_pool`, `lb_probe`, `lb_rule` and
    /// `network_interface_backend_address_pool_association` examples, as the internal load balancer of the Learn
    /// quickstart: the frontend 10.1.0.100 forwards TCP 80 to the pool's members when they answer the probe on port 80
    /// (https://learn.microsoft.com/azure/load-balancer/quickstart-load-balancer-standard-internal-portal).
    static func loadBalancer() -> PlatformEstate {
        var e = PlatformEstate()
        e.vnet("vnet", "10.1.0.0/16")
        e.subnet("vnet", "backend", "10.1.0.0/24")
        e.subnet("vnet", "clients", "10.1.1.0/24")
        let pool = "\(net)/loadBalancers/lb/backendAddressPools/pool"
        e.nic("vm1", "vnet", "backend", "10.1.0.4", armPools: [pool])
        e.nic("vm2", "vnet", "backend", "10.1.0.5", armPools: [pool])
        e.nic("client", "vnet", "clients", "10.1.1.4")
        e.terraform.append("""
        resource "azurerm_lb" "lb" {
          name                = "lb"
          location            = azurerm_resource_group.rg.location
          resource_group_name = azurerm_resource_group.rg.name
          sku                 = "Standard"

          frontend_ip_configuration {
            name                          = "frontend"
            subnet_id                     = azurerm_subnet.vnet_backend.id
            private_ip_address_allocation = "Static"
            private_ip_address            = "10.1.0.100"
          }
        }

        resource "azurerm_lb_backend_address_pool" "pool" {
          loadbalancer_id = azurerm_lb.lb.id
          name            = "pool"
        }

        resource "azurerm_lb_probe" "http" {
          loadbalancer_id = azurerm_lb.lb.id
          name            = "http-probe"
          port            = 80
        }

        resource "azurerm_lb_rule" "http" {
          loadbalancer_id                = azurerm_lb.lb.id
          name                           = "http"
          protocol                       = "Tcp"
          frontend_port                  = 80
          backend_port                   = 80
          frontend_ip_configuration_name = "frontend"
          backend_address_pool_ids       = [azurerm_lb_backend_address_pool.pool.id]
          probe_id                       = azurerm_lb_probe.http.id
        }

        resource "azurerm_network_interface_backend_address_pool_association" "vm1" {
          network_interface_id    = azurerm_network_interface.vm1.id
          ip_configuration_name   = "ipconfig1"
          backend_address_pool_id = azurerm_lb_backend_address_pool.pool.id
        }

        resource "azurerm_network_interface_backend_address_pool_association" "vm2" {
          network_interface_id    = azurerm_network_interface.vm2.id
          ip_configuration_name   = "ipconfig1"
          backend_address_pool_id = azurerm_lb_backend_address_pool.pool.id
        }
        """)
        e.arm.append("""
        {"id": "\(net)/loadBalancers/lb", "type": "Microsoft.Network/loadBalancers", "name": "lb", "location": "westeurope", "sku": {"name": "Standard"},
         "properties": {
           "frontendIPConfigurations": [{"name": "frontend", "properties": {"privateIPAllocationMethod": "Static", "privateIPAddress": "10.1.0.100",
             "subnet": {"id": "\(net)/virtualNetworks/vnet/subnets/backend"}}}],
           "backendAddressPools": [{"name": "pool", "properties": {}}],
           "loadBalancingRules": [{"name": "http", "properties": {"frontendIPConfiguration": {"id": "\(net)/loadBalancers/lb/frontendIPConfigurations/frontend"},
             "backendAddressPool": {"id": "\(pool)"}, "probe": {"id": "\(net)/loadBalancers/lb/probes/http-probe"},
             "protocol": "Tcp", "frontendPort": 80, "backendPort": 80}}],
           "probes": [{"name": "http-probe", "properties": {"protocol": "Tcp", "port": 80}}]}}
        """)
        return e
    }

    @Test func loadBalancerMapsAsItsARMFormAndForwardsTheSame() throws {
        let estate = Self.loadBalancer()
        let result = try estate.readTerraform()
        let arm = try estate.importARM()
        let lb = try #require(PlatformEstate.resources(result.graph, LoadBalancer.self).first)
        #expect(lb.frontends.first?.privateIPAddress == IPv4Address("10.1.0.100"))
        #expect(lb.rules.first?.backendPool == "pool" && lb.rules.first?.probe == "http-probe")
        #expect(PlatformEstate.resources(result.graph, LoadBalancer.self) == PlatformEstate.resources(arm, LoadBalancer.self))
        #expect(PlatformEstate.resources(result.graph, NetworkInterface.self).map { $0.ipConfigurations.map(\.loadBalancerBackendAddressPools) }
            == PlatformEstate.resources(arm, NetworkInterface.self).map { $0.ipConfigurations.map(\.loadBalancerBackendAddressPools) })
        let traces = PlatformEstate.traces(terraform: result.graph, arm: arm, [
            ("10.1.1.4", .address(IPv4Address("10.1.0.100")!), 80), ("10.1.1.4", .address(IPv4Address("10.1.0.100")!), 22),
        ])
        #expect(traces[0].verdict == .allowed, "\(traces[0].text)")
        #expect(traces[0].text.contains("http"))
        #expect(traces[1].verdict == .denied, "\(traces[1].text)")
        #expect(!result.assumptions.contains { $0.contains("is not modelled") }, "\(result.assumptions)")
    }

    @Test func loadBalancerRulesPointAtTheirTerraformLines() throws {
        let estate = Self.loadBalancer()
        let text = estate.terraform.joined(separator: "\n\n") + "\n"
        let graph = try estate.readTerraform().graph
        let lb = ResourceID("\(Self.net)/loadBalancers/lb")
        #expect(graph.source(of: lb, property: "properties.loadBalancingRules[0].properties.frontendPort")?.line == line(of: "frontend_port", in: text))
        #expect(graph.source(of: lb, property: "properties.probes[0].properties.port")?.line == line(of: "port            = 80", in: text))
        #expect(graph.source(of: lb, property: "properties.frontendIPConfigurations[0].properties.privateIPAddress")?.line
            == line(of: "private_ip_address            = \"10.1.0.100\"", in: text))
        let vm2 = ResourceID("\(Self.net)/networkInterfaces/vm2")
        #expect(graph.source(of: vm2, property: "properties.ipConfigurations[0].properties.loadBalancerBackendAddressPools")?.line
            == line(of: "resource \"azurerm_network_interface_backend_address_pool_association\" \"vm2\"", in: text))
    }

    // MARK: - Azure Virtual Network Manager

    /// The azurerm `network_manager_admin_rule` example's rule (Deny, Outbound, TCP 80 to 10.1.0.1 and 10.0.0.0/24),
    /// from any source, over a VNet with two subnets, committed by the `network_manager_deployment` example's resource.
    /// Security admin rules are evaluated before NSGs and a Deny drops the packet
    /// (https://learn.microsoft.com/azure/virtual-network-manager/concept-security-admins).
    static func networkManager(committed: Bool, region: String = "westeurope") -> PlatformEstate {
        var e = PlatformEstate()
        e.vnet("vnet", "10.0.0.0/16")
        e.subnet("vnet", "a", "10.0.1.0/24")
        e.subnet("vnet", "b", "10.0.0.0/24")
        e.nic("vm1", "vnet", "a", "10.0.1.4")
        e.nic("vm2", "vnet", "b", "10.0.0.4")
        e.terraform.append("""
        data "azurerm_subscription" "current" {}

        resource "azurerm_network_manager" "avnm" {
          name                = "avnm"
          location            = azurerm_resource_group.rg.location
          resource_group_name = azurerm_resource_group.rg.name
          scope {
            subscription_ids = [data.azurerm_subscription.current.id]
          }
          scope_accesses = ["Connectivity", "SecurityAdmin"]
        }

        resource "azurerm_network_manager_network_group" "spokes" {
          name               = "spokes"
          network_manager_id = azurerm_network_manager.avnm.id
        }

        resource "azurerm_network_manager_static_member" "vnet" {
          name                      = "vnet"
          network_group_id          = azurerm_network_manager_network_group.spokes.id
          target_virtual_network_id = azurerm_virtual_network.vnet.id
        }

        resource "azurerm_network_manager_security_admin_configuration" "baseline" {
          name               = "baseline"
          network_manager_id = azurerm_network_manager.avnm.id
        }

        resource "azurerm_network_manager_admin_rule_collection" "web" {
          name                            = "web"
          security_admin_configuration_id = azurerm_network_manager_security_admin_configuration.baseline.id
          network_group_ids               = [azurerm_network_manager_network_group.spokes.id]
        }

        resource "azurerm_network_manager_admin_rule" "deny_http" {
          name                     = "deny-http"
          admin_rule_collection_id = azurerm_network_manager_admin_rule_collection.web.id
          action                   = "Deny"
          direction                = "Outbound"
          priority                 = 1
          protocol                 = "Tcp"
          source_port_ranges       = ["80", "1024-65535"]
          destination_port_ranges  = ["80"]
          source {
            address_prefix_type = "IPPrefix"
            address_prefix      = "*"
          }
          destination {
            address_prefix_type = "IPPrefix"
            address_prefix      = "10.1.0.1"
          }
          destination {
            address_prefix_type = "IPPrefix"
            address_prefix      = "10.0.0.0/24"
          }
        }

        resource "azurerm_network_manager_connectivity_configuration" "mesh" {
          name                  = "mesh"
          network_manager_id    = azurerm_network_manager.avnm.id
          connectivity_topology = "Mesh"
          applies_to_group {
            group_connectivity = "DirectlyConnected"
            network_group_id   = azurerm_network_manager_network_group.spokes.id
          }
        }
        """)
        if committed {
            e.terraform.append("""
            resource "azurerm_network_manager_deployment" "security" {
              network_manager_id = azurerm_network_manager.avnm.id
              location           = "\(region)"
              scope_access       = "SecurityAdmin"
              configuration_ids  = [azurerm_network_manager_security_admin_configuration.baseline.id]
              depends_on         = [azurerm_network_manager_admin_rule.deny_http]
            }

            resource "azurerm_network_manager_deployment" "connectivity" {
              network_manager_id = azurerm_network_manager.avnm.id
              location           = "westeurope"
              scope_access       = "Connectivity"
              configuration_ids  = [azurerm_network_manager_connectivity_configuration.mesh.id]
            }
            """)
        }
        let m = "\(net)/networkManagers/avnm"
        e.arm += ["""
        {"id": "\(m)", "type": "Microsoft.Network/networkManagers", "name": "avnm", "location": "westeurope",
         "properties": {"networkManagerScopeAccesses": ["Connectivity", "SecurityAdmin"],
                        "networkManagerScopes": {"subscriptions": ["/subscriptions/\(PlatformEstate.subscription)"]}}}
        """, """
        {"id": "\(m)/networkGroups/spokes", "type": "Microsoft.Network/networkManagers/networkGroups", "name": "spokes", "properties": {}}
        """, """
        {"id": "\(m)/networkGroups/spokes/staticMembers/vnet", "type": "Microsoft.Network/networkManagers/networkGroups/staticMembers", "name": "vnet",
         "properties": {"resourceId": "\(net)/virtualNetworks/vnet"}}
        """, """
        {"id": "\(m)/securityAdminConfigurations/baseline", "type": "Microsoft.Network/networkManagers/securityAdminConfigurations", "name": "baseline",
         "properties": {}}
        """, """
        {"id": "\(m)/securityAdminConfigurations/baseline/ruleCollections/web", "type": "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections",
         "name": "web", "properties": {"appliesToGroups": [{"networkGroupId": "\(m)/networkGroups/spokes"}]}}
        """, """
        {"id": "\(m)/securityAdminConfigurations/baseline/ruleCollections/web/rules/deny-http",
         "type": "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections/rules", "name": "deny-http", "kind": "Custom",
         "properties": {"access": "Deny", "direction": "Outbound", "priority": 1, "protocol": "Tcp",
                        "sources": [{"addressPrefix": "*", "addressPrefixType": "IPPrefix"}],
                        "destinations": [{"addressPrefix": "10.1.0.1", "addressPrefixType": "IPPrefix"}, {"addressPrefix": "10.0.0.0/24", "addressPrefixType": "IPPrefix"}],
                        "sourcePortRanges": ["80", "1024-65535"], "destinationPortRanges": ["80"]}}
        """, """
        {"id": "\(m)/connectivityConfigurations/mesh", "type": "Microsoft.Network/networkManagers/connectivityConfigurations", "name": "mesh",
         "properties": {"connectivityTopology": "Mesh", "appliesToGroups": [{"networkGroupId": "\(m)/networkGroups/spokes", "groupConnectivity": "DirectlyConnected"}]}}
        """]
        return e
    }

    @Test func committedAdminRulesMapAsTheirARMFormAndDenyTheSame() throws {
        let estate = Self.networkManager(committed: true)
        let result = try estate.readTerraform()
        let arm = try estate.importARM()
        let manager = try #require(PlatformEstate.resources(result.graph, NetworkManager.self).first)
        #expect(manager.networkGroups.first?.staticMembers.map(\.name) == ["vnet"])
        let rule = try #require(manager.securityAdminConfigurations.first?.ruleCollections.first?.rules.first)
        #expect(rule.action == .deny && rule.direction == .outbound && rule.priority == 1)
        #expect(rule.destinations == [.prefix(IPv4Prefix("10.1.0.1/32")!), .prefix(IPv4Prefix("10.0.0.0/24")!)])
        #expect(manager.connectivityConfigurations.first?.topology == .mesh)
        #expect(manager.connectivityConfigurations.first?.groups.first?.directlyConnected == true)
        #expect(PlatformEstate.resources(result.graph, NetworkManager.self) == PlatformEstate.resources(arm, NetworkManager.self))
        let traces = PlatformEstate.traces(terraform: result.graph, arm: arm, [
            ("10.0.1.4", .address(IPv4Address("10.0.0.4")!), 80), ("10.0.1.4", .address(IPv4Address("10.0.0.4")!), 443),
        ])
        #expect(traces[0].verdict == .denied && traces[0].text.contains("deny-http"), "\(traces[0].text)")
        #expect(traces[1].verdict == .allowed, "\(traces[1].text)")
    }

    /// A configuration no `azurerm_network_manager_deployment` commits is not in force
    /// (https://learn.microsoft.com/azure/virtual-network-manager/concept-deployments).
    @Test func uncommittedConfigurationsAreNotInForce() throws {
        let result = try Self.networkManager(committed: false).readTerraform()
        let manager = try #require(result.graph.all(NetworkManager.self).first)
        #expect(manager.securityAdminConfigurations.isEmpty && manager.connectivityConfigurations.isEmpty)
        #expect(manager.networkGroups.count == 1)
        #expect(result.assumptions.contains { $0.contains("baseline is not committed") }, "\(result.assumptions)")
        let model = NetworkModel.compile(result.graph, options: NetworkOptions())
        #expect(model.trace(from: .address(IPv4Address("10.0.1.4")!), to: .address(IPv4Address("10.0.0.4")!), port: 80).verdict == .allowed)
    }

    /// A commit is per region: the network_manager_deployment example commits to East US while its VNet is in West
    /// Europe. The model applies a committed configuration to every VNet it targets, and the reader says so.
    @Test func aCommitToAnotherRegionIsNamed() throws {
        let result = try Self.networkManager(committed: true, region: "East US").readTerraform()
        #expect(result.assumptions.contains { $0.contains("configuration baseline is committed to eastus only, but is applied to vnet in another region") },
                "\(result.assumptions)")
        #expect(!result.assumptions.contains { $0.contains("configuration mesh is committed") })
        let sameRegion = try Self.networkManager(committed: true).readTerraform()
        #expect(!sameRegion.assumptions.contains { $0.contains("in another region") })
    }

    @Test func adminRuleArgumentsPointAtTheirTerraformLines() throws {
        let estate = Self.networkManager(committed: true)
        let text = estate.terraform.joined(separator: "\n\n") + "\n"
        let graph = try estate.readTerraform().graph
        let rule = ResourceID("\(Self.net)/networkManagers/avnm/securityAdminConfigurations/baseline/ruleCollections/web/rules/deny-http")
        #expect(graph.source(of: rule, property: "properties.priority")?.line == line(of: "priority                 = 1", in: text))
        #expect(graph.source(of: rule, property: "properties.destinations[1].addressPrefix")?.line == line(of: "address_prefix      = \"10.0.0.0/24\"", in: text))
        #expect(graph.source(of: rule, property: "properties.access")?.file.hasSuffix("main.tf") == true)
    }

    // MARK: - Site-to-site VPN

    /// The azurerm `local_network_gateway` and `virtual_network_gateway_connection` (site-to-site) examples: the
    /// on-premises prefixes behind the local network gateway are reached through the gateway, and the gateway's default
    /// site takes the internet-bound traffic (forced tunnelling,
    /// https://learn.microsoft.com/azure/vpn-gateway/about-site-to-site-tunneling).
    static func siteToSite() -> PlatformEstate {
        var e = PlatformEstate()
        e.vnet("hub", "10.0.0.0/16")
        e.subnet("hub", "GatewaySubnet", "10.0.255.0/27")
        e.subnet("hub", "workload", "10.0.1.0/24")
        e.nic("vm1", "hub", "workload", "10.0.1.4")
        e.terraform.append("""
        resource "azurerm_public_ip" "gateway" {
          name                = "gateway-ip"
          location            = azurerm_resource_group.rg.location
          resource_group_name = azurerm_resource_group.rg.name
          allocation_method   = "Static"
          sku                 = "Standard"
        }

        resource "azurerm_local_network_gateway" "onpremise" {
          name                = "onpremise"
          location            = azurerm_resource_group.rg.location
          resource_group_name = azurerm_resource_group.rg.name
          gateway_address     = "168.62.225.23"
          address_space       = ["10.1.1.0/24"]
          bgp_settings {
            asn                 = 65010
            bgp_peering_address = "10.1.1.254"
          }
        }

        resource "azurerm_virtual_network_gateway" "vpn" {
          name                             = "vpn"
          location                         = azurerm_resource_group.rg.location
          resource_group_name              = azurerm_resource_group.rg.name
          type                             = "Vpn"
          vpn_type                         = "RouteBased"
          sku                              = "VpnGw1"
          default_local_network_gateway_id = azurerm_local_network_gateway.onpremise.id

          ip_configuration {
            name                          = "vnetGatewayConfig"
            public_ip_address_id          = azurerm_public_ip.gateway.id
            private_ip_address_allocation = "Dynamic"
            subnet_id                     = azurerm_subnet.hub_GatewaySubnet.id
          }
        }

        resource "azurerm_virtual_network_gateway_connection" "onpremise" {
          name                       = "onpremise"
          location                   = azurerm_resource_group.rg.location
          resource_group_name        = azurerm_resource_group.rg.name
          type                       = "IPsec"
          virtual_network_gateway_id = azurerm_virtual_network_gateway.vpn.id
          local_network_gateway_id   = azurerm_local_network_gateway.onpremise.id
          shared_key                 = "4-v3ry-53cr37-1p53c-5h4r3d-k3y"
        }
        """)
        e.arm += ["""
        {"id": "\(net)/publicIPAddresses/gateway-ip", "type": "Microsoft.Network/publicIPAddresses", "name": "gateway-ip", "location": "westeurope",
         "sku": {"name": "Standard"}, "properties": {"publicIPAllocationMethod": "Static"}}
        """, """
        {"id": "\(net)/localNetworkGateways/onpremise", "type": "Microsoft.Network/localNetworkGateways", "name": "onpremise", "location": "westeurope",
         "properties": {"gatewayIpAddress": "168.62.225.23", "localNetworkAddressSpace": {"addressPrefixes": ["10.1.1.0/24"]},
                        "bgpSettings": {"asn": 65010, "bgpPeeringAddress": "10.1.1.254"}}}
        """, """
        {"id": "\(net)/virtualNetworkGateways/vpn", "type": "Microsoft.Network/virtualNetworkGateways", "name": "vpn", "location": "westeurope",
         "properties": {"gatewayType": "Vpn", "vpnType": "RouteBased", "sku": {"name": "VpnGw1", "tier": "VpnGw1"}, "enableBgp": false,
           "gatewayDefaultSite": {"id": "\(net)/localNetworkGateways/onpremise"},
           "ipConfigurations": [{"name": "vnetGatewayConfig", "properties": {"privateIPAllocationMethod": "Dynamic",
             "subnet": {"id": "\(net)/virtualNetworks/hub/subnets/GatewaySubnet"}, "publicIPAddress": {"id": "\(net)/publicIPAddresses/gateway-ip"}}}]}}
        """, """
        {"id": "\(net)/connections/onpremise", "type": "Microsoft.Network/connections", "name": "onpremise", "location": "westeurope",
         "properties": {"connectionType": "IPsec", "virtualNetworkGateway1": {"id": "\(net)/virtualNetworkGateways/vpn"},
                        "localNetworkGateway2": {"id": "\(net)/localNetworkGateways/onpremise"}, "sharedKey": "4-v3ry-53cr37-1p53c-5h4r3d-k3y"}}
        """]
        return e
    }

    @Test func siteToSiteMapsAsItsARMFormAndRoutesTheSame() throws {
        let estate = Self.siteToSite()
        let result = try estate.readTerraform()
        let arm = try estate.importARM()
        let site = try #require(PlatformEstate.resources(result.graph, LocalNetworkGateway.self).first)
        #expect(site.addressPrefixes == [IPv4Prefix("10.1.1.0/24")!] && site.bgpASN == 65010 && site.gatewayIPAddress == "168.62.225.23")
        #expect(PlatformEstate.resources(result.graph, LocalNetworkGateway.self) == PlatformEstate.resources(arm, LocalNetworkGateway.self))
        #expect(PlatformEstate.resources(result.graph, VirtualNetworkGatewayConnection.self)
            == PlatformEstate.resources(arm, VirtualNetworkGatewayConnection.self))
        #expect(result.graph.all(VirtualNetworkGateway.self).first?.gatewayDefaultSite?.name == "onpremise")
        let traces = PlatformEstate.traces(terraform: result.graph, arm: arm, [
            ("10.0.1.4", .address(IPv4Address("10.1.1.10")!), 443), ("10.0.1.4", .address(IPv4Address("8.8.8.8")!), 443),
        ])
        #expect(traces[0].text.contains("site-to-site VPN to on-premises site onpremise"), "\(traces[0].text)")
        #expect(traces[1].text.contains("as its default site (forced tunnelling"), "\(traces[1].text)")
        // The shared key is a secret: it is not kept.
        let json = String(decoding: try JSONEncoder().encode(result.graph), as: UTF8.self)
        #expect(!json.contains("5h4r3d"))
    }

    // MARK: - DNS Private Resolver

    /// The azurerm `private_dns_resolver_*` examples: a resolver with an inbound endpoint (static 10.0.0.4) and an
    /// outbound endpoint, a ruleset forwarding `onprem.contoso.com.` to 10.10.0.4:53, linked to the VNet
    /// (https://learn.microsoft.com/azure/dns/private-resolver-endpoints-rulesets).
    static func resolver() -> PlatformEstate {
        var e = PlatformEstate()
        e.vnet("vnet", "10.0.0.0/16")
        e.subnet("vnet", "inbound", "10.0.0.0/28", delegation: "Microsoft.Network/dnsResolvers")
        e.subnet("vnet", "outbound", "10.0.0.16/28", delegation: "Microsoft.Network/dnsResolvers")
        e.subnet("vnet", "workload", "10.0.1.0/24")
        e.nic("vm1", "vnet", "workload", "10.0.1.4")
        e.terraform.append("""
        resource "azurerm_private_dns_resolver" "resolver" {
          name                = "resolver"
          resource_group_name = azurerm_resource_group.rg.name
          location            = azurerm_resource_group.rg.location
          virtual_network_id  = azurerm_virtual_network.vnet.id
        }

        resource "azurerm_private_dns_resolver_inbound_endpoint" "inbound" {
          name                    = "inbound"
          private_dns_resolver_id = azurerm_private_dns_resolver.resolver.id
          location                = azurerm_private_dns_resolver.resolver.location
          ip_configurations {
            private_ip_allocation_method = "Static"
            private_ip_address           = "10.0.0.4"
            subnet_id                    = azurerm_subnet.vnet_inbound.id
          }
        }

        resource "azurerm_private_dns_resolver_outbound_endpoint" "outbound" {
          name                    = "outbound"
          private_dns_resolver_id = azurerm_private_dns_resolver.resolver.id
          location                = azurerm_private_dns_resolver.resolver.location
          subnet_id               = azurerm_subnet.vnet_outbound.id
        }

        resource "azurerm_private_dns_resolver_dns_forwarding_ruleset" "ruleset" {
          name                                       = "ruleset"
          resource_group_name                        = azurerm_resource_group.rg.name
          location                                   = azurerm_resource_group.rg.location
          private_dns_resolver_outbound_endpoint_ids = [azurerm_private_dns_resolver_outbound_endpoint.outbound.id]
        }

        resource "azurerm_private_dns_resolver_forwarding_rule" "onprem" {
          name                      = "onprem"
          dns_forwarding_ruleset_id = azurerm_private_dns_resolver_dns_forwarding_ruleset.ruleset.id
          domain_name               = "onprem.contoso.com."
          enabled                   = true
          target_dns_servers {
            ip_address = "10.10.0.4"
            port       = 53
          }
        }

        resource "azurerm_private_dns_resolver_virtual_network_link" "vnet" {
          name                      = "vnet"
          dns_forwarding_ruleset_id = azurerm_private_dns_resolver_dns_forwarding_ruleset.ruleset.id
          virtual_network_id        = azurerm_virtual_network.vnet.id
        }
        """)
        let r = "\(net)/dnsResolvers/resolver"
        let s = "\(net)/dnsForwardingRulesets/ruleset"
        e.arm += ["""
        {"id": "\(r)", "type": "Microsoft.Network/dnsResolvers", "name": "resolver", "location": "westeurope",
         "properties": {"virtualNetwork": {"id": "\(net)/virtualNetworks/vnet"}}}
        """, """
        {"id": "\(r)/inboundEndpoints/inbound", "type": "Microsoft.Network/dnsResolvers/inboundEndpoints", "name": "inbound", "location": "westeurope",
         "properties": {"ipConfigurations": [{"privateIpAddress": "10.0.0.4", "privateIpAllocationMethod": "Static",
           "subnet": {"id": "\(net)/virtualNetworks/vnet/subnets/inbound"}}]}}
        """, """
        {"id": "\(r)/outboundEndpoints/outbound", "type": "Microsoft.Network/dnsResolvers/outboundEndpoints", "name": "outbound", "location": "westeurope",
         "properties": {"subnet": {"id": "\(net)/virtualNetworks/vnet/subnets/outbound"}}}
        """, """
        {"id": "\(s)", "type": "Microsoft.Network/dnsForwardingRulesets", "name": "ruleset", "location": "westeurope",
         "properties": {"dnsResolverOutboundEndpoints": [{"id": "\(r)/outboundEndpoints/outbound"}]}}
        """, """
        {"id": "\(s)/forwardingRules/onprem", "type": "Microsoft.Network/dnsForwardingRulesets/forwardingRules", "name": "onprem",
         "properties": {"domainName": "onprem.contoso.com.", "forwardingRuleState": "Enabled", "targetDnsServers": [{"ipAddress": "10.10.0.4", "port": 53}]}}
        """, """
        {"id": "\(s)/virtualNetworkLinks/vnet", "type": "Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks", "name": "vnet",
         "properties": {"virtualNetwork": {"id": "\(net)/virtualNetworks/vnet"}}}
        """]
        return e
    }

    @Test func resolverAndRulesetMapAsTheirARMFormAndResolveTheSame() throws {
        let estate = Self.resolver()
        let result = try estate.readTerraform()
        let arm = try estate.importARM()
        let resolver = try #require(PlatformEstate.resources(result.graph, DnsResolver.self).first)
        #expect(resolver.inboundEndpoints.first?.privateIPAddress == IPv4Address("10.0.0.4"))
        #expect(resolver.outboundEndpoints.first?.subnet?.name == "outbound")
        let ruleset = try #require(PlatformEstate.resources(result.graph, DnsForwardingRuleset.self).first)
        #expect(ruleset.rules.first?.targetDnsServers == [DnsTargetServer(ipAddress: IPv4Address("10.10.0.4")!)])
        #expect(ruleset.virtualNetworkLinks.map(\.virtualNetwork.name) == ["vnet"])
        #expect(PlatformEstate.resources(result.graph, DnsResolver.self) == PlatformEstate.resources(arm, DnsResolver.self))
        #expect(PlatformEstate.resources(result.graph, DnsForwardingRuleset.self) == PlatformEstate.resources(arm, DnsForwardingRuleset.self))
        let traces = PlatformEstate.traces(terraform: result.graph, arm: arm, [
            ("10.0.1.4", .name("app.onprem.contoso.com"), 443), ("10.0.1.4", .address(IPv4Address("10.0.0.4")!), 53),
        ])
        #expect(traces[0].text.contains("rule onprem (onprem.contoso.com.) of forwarding ruleset ruleset sends it to 10.10.0.4"), "\(traces[0].text)")
    }

    // MARK: - Virtual WAN

    /// The azurerm `virtual_wan`, `virtual_hub`, `virtual_hub_route_table` and `virtual_hub_connection` examples, as
    /// Learn's "isolating VNets" scenario: spoke1 and spoke2 are associated with RT_VNet and propagate only to the
    /// default route table, so they do not reach each other; spoke3 keeps the defaults
    /// (https://learn.microsoft.com/azure/virtual-wan/scenario-isolate-vnets).
    static func virtualWAN() -> PlatformEstate {
        var e = PlatformEstate()
        for i in 1...3 {
            e.vnet("spoke\(i)", "10.\(i).0.0/16")
            e.subnet("spoke\(i)", "app", "10.\(i).0.0/24")
            e.nic("vm\(i)", "spoke\(i)", "app", "10.\(i).0.4")
        }
        e.terraform.append("""
        resource "azurerm_virtual_wan" "wan" {
          name                = "wan"
          resource_group_name = azurerm_resource_group.rg.name
          location            = azurerm_resource_group.rg.location
        }

        resource "azurerm_virtual_hub" "hub" {
          name                = "hub"
          resource_group_name = azurerm_resource_group.rg.name
          location            = azurerm_resource_group.rg.location
          virtual_wan_id      = azurerm_virtual_wan.wan.id
          address_prefix      = "10.100.0.0/23"
        }

        resource "azurerm_virtual_hub_route_table" "vnet" {
          name           = "RT_VNet"
          virtual_hub_id = azurerm_virtual_hub.hub.id
          labels         = ["vnet"]
        }

        resource "azurerm_virtual_hub_connection" "spoke" {
          for_each                  = toset(["spoke1", "spoke2"])
          name                      = "conn-${each.key}"
          virtual_hub_id            = azurerm_virtual_hub.hub.id
          remote_virtual_network_id = each.key == "spoke1" ? azurerm_virtual_network.spoke1.id : azurerm_virtual_network.spoke2.id
          internet_security_enabled = true

          routing {
            associated_route_table_id = azurerm_virtual_hub_route_table.vnet.id
            propagated_route_table {
              route_table_ids = [azurerm_virtual_hub.hub.default_route_table_id]
            }
          }
        }

        resource "azurerm_virtual_hub_connection" "spoke3" {
          name                      = "conn-spoke3"
          virtual_hub_id            = azurerm_virtual_hub.hub.id
          remote_virtual_network_id = azurerm_virtual_network.spoke3.id
        }
        """)
        let h = "\(net)/virtualHubs/hub"
        e.arm += ["""
        {"id": "\(net)/virtualWans/wan", "type": "Microsoft.Network/virtualWans", "name": "wan", "location": "westeurope", "properties": {}}
        """, """
        {"id": "\(h)", "type": "Microsoft.Network/virtualHubs", "name": "hub", "location": "westeurope",
         "properties": {"addressPrefix": "10.100.0.0/23", "virtualWan": {"id": "\(net)/virtualWans/wan"}}}
        """, """
        {"id": "\(h)/hubRouteTables/RT_VNet", "type": "Microsoft.Network/virtualHubs/hubRouteTables", "name": "RT_VNet",
         "properties": {"labels": ["vnet"], "routes": []}}
        """] + ["spoke1", "spoke2"].map { spoke in """
        {"id": "\(h)/hubVirtualNetworkConnections/conn-\(spoke)", "type": "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections", "name": "conn-\(spoke)",
         "properties": {"remoteVirtualNetwork": {"id": "\(net)/virtualNetworks/\(spoke)"}, "enableInternetSecurity": true,
           "routingConfiguration": {"associatedRouteTable": {"id": "\(h)/hubRouteTables/RT_VNet"},
             "propagatedRouteTables": {"ids": [{"id": "\(h)/hubRouteTables/defaultRouteTable"}]}}}}
        """ } + ["""
        {"id": "\(h)/hubVirtualNetworkConnections/conn-spoke3", "type": "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections", "name": "conn-spoke3",
         "properties": {"remoteVirtualNetwork": {"id": "\(net)/virtualNetworks/spoke3"}}}
        """]
        return e
    }

    @Test func hubConnectionsMapAsTheirARMFormAndRouteTheSame() throws {
        let estate = Self.virtualWAN()
        let result = try estate.readTerraform()
        let arm = try estate.importARM()
        let hub = try #require(PlatformEstate.resources(result.graph, VirtualHub.self).first)
        #expect(hub.virtualWAN?.name == "wan" && hub.addressPrefix == IPv4Prefix("10.100.0.0/23"))
        let spoke1 = try #require(hub.virtualNetworkConnections.first { $0.name == "conn-spoke1" })
        #expect(spoke1.associatedRouteTable?.name == "RT_VNet")
        #expect(spoke1.propagatedRouteTables?.map(\.name) == ["defaultRouteTable"])
        #expect(spoke1.enableInternetSecurity)
        #expect(PlatformEstate.resources(result.graph, VirtualWAN.self) == PlatformEstate.resources(arm, VirtualWAN.self))
        // Connection order is the configuration's (for_each instances, then spoke3); compare as sets of connections.
        let ours = hub.virtualNetworkConnections.sorted { $0.name < $1.name }
        let theirs = try #require(PlatformEstate.resources(arm, VirtualHub.self).first).virtualNetworkConnections.sorted { $0.name < $1.name }
        #expect(ours == theirs)
        #expect(hub.routeTables == PlatformEstate.resources(arm, VirtualHub.self).first?.routeTables)
        let traces = PlatformEstate.traces(terraform: result.graph, arm: arm, [
            ("10.1.0.4", .address(IPv4Address("10.2.0.4")!), 443), ("10.3.0.4", .address(IPv4Address("10.1.0.4")!), 443),
            ("10.3.0.4", .address(IPv4Address("10.2.0.4")!), 443),
        ])
        #expect(traces[0].verdict == .denied, "isolated spokes: \(traces[0].text)")
        // spoke3 keeps the defaults: the default route table learns spoke1's and spoke2's prefixes.
        #expect(traces[1].verdict == .allowed && traces[1].text.contains("defaultRouteTable"), "\(traces[1].text)")
    }

    /// The azurerm `virtual_hub_routing_intent` example: a secured hub's firewall (`virtual_hub` block) and routing
    /// intent sending internet traffic to it; the hub learns its firewall from the firewall's `virtual_hub` block.
    @Test func routingIntentAndTheHubFirewall() throws {
        var estate = Self.virtualWAN()
        estate.terraform.append("""
        resource "azurerm_firewall" "hub" {
          name                = "fw-hub"
          location            = azurerm_resource_group.rg.location
          resource_group_name = azurerm_resource_group.rg.name
          sku_name            = "AZFW_Hub"
          sku_tier            = "Standard"

          virtual_hub {
            virtual_hub_id  = azurerm_virtual_hub.hub.id
            public_ip_count = 1
          }
        }

        resource "azurerm_virtual_hub_routing_intent" "intent" {
          name           = "intent"
          virtual_hub_id = azurerm_virtual_hub.hub.id

          routing_policy {
            name         = "InternetTrafficPolicy"
            destinations = ["Internet"]
            next_hop     = azurerm_firewall.hub.id
          }
          routing_policy {
            name         = "PrivateTrafficPolicy"
            destinations = ["PrivateTraffic"]
            next_hop     = azurerm_firewall.hub.id
          }
        }

        resource "azurerm_virtual_hub_route_table_route" "shared" {
          route_table_id    = azurerm_virtual_hub_route_table.vnet.id
          name              = "to-spoke3"
          destinations_type = "CIDR"
          destinations      = ["10.3.0.0/16"]
          next_hop_type     = "ResourceId"
          next_hop          = azurerm_virtual_hub_connection.spoke3.id
        }
        """)
        let result = try estate.readTerraform()
        let hub = try #require(result.graph.all(VirtualHub.self).first)
        let firewall = try #require(result.graph.all(AzureFirewall.self).first)
        #expect(hub.azureFirewall == firewall.id)
        #expect(firewall.virtualHub == hub.id)
        #expect(hub.routingIntent?.nextHop(for: .internet) == firewall.id)
        #expect(hub.routingIntent?.nextHop(for: .privateTraffic) == firewall.id)
        let table = try #require(hub.routeTables.first { $0.name == "RT_VNet" })
        #expect(table.routes == [HubRoute(name: "to-spoke3", destinations: [IPv4Prefix("10.3.0.0/16")!],
                                          nextHop: hub.id.child("hubVirtualNetworkConnections", "conn-spoke3"))])
        // The firewall's hub address is Azure's; the configuration cannot say it, so the reader says so.
        #expect(firewall.hubPrivateIPAddress == nil)
        #expect(result.assumptions.contains { $0.contains("azurerm_firewall.hub") && $0.contains("only known after apply") }, "\(result.assumptions)")
    }

    @Test func hubConnectionArgumentsPointAtTheirTerraformLines() throws {
        let estate = Self.virtualWAN()
        let text = estate.terraform.joined(separator: "\n\n") + "\n"
        let graph = try estate.readTerraform().graph
        let hub = ResourceID("\(Self.net)/virtualHubs/hub")
        let connection = hub.child("hubVirtualNetworkConnections", "conn-spoke3")
        #expect(graph.source(of: connection, property: "properties.remoteVirtualNetwork")?.line
            == line(of: "remote_virtual_network_id = azurerm_virtual_network.spoke3.id", in: text))
        #expect(graph.source(of: hub, property: "properties.addressPrefix")?.line == line(of: "address_prefix      = \"10.100.0.0/23\"", in: text))
        #expect(graph.source(of: hub.child("hubRouteTables", "RT_VNet"), property: "properties.labels")?.line
            == line(of: "labels         = [\"vnet\"]", in: text))
    }
}

/// What the platform mapping reads partially, and says so.
@Suite struct PlatformMappingEdgeTests {
    static let net = PlatformEstate.network

    /// A spoke's connection to the platform's existing hub (named by a data source): the hub is not in the
    /// configuration, so the connection is kept as an opaque resource of its ARM type, with a warning.
    @Test func aConnectionToAnExistingHubIsKeptOpaque() throws {
        var e = PlatformEstate()
        e.vnet("spoke", "10.1.0.0/16")
        e.terraform.append("""
        data "azurerm_virtual_hub" "platform" {
          name                = "hub-weu"
          resource_group_name = "rg-platform"
        }

        resource "azurerm_virtual_hub_connection" "spoke" {
          name                      = "conn-spoke"
          virtual_hub_id            = data.azurerm_virtual_hub.platform.id
          remote_virtual_network_id = azurerm_virtual_network.spoke.id
        }
        """)
        let result = try e.readTerraform()
        let opaque = try #require(result.graph.all(OpaqueResource.self).first { $0.name == "conn-spoke" })
        #expect(opaque.type.rawValue == "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections")
        #expect(opaque.id.parent?.name == "hub-weu")
        #expect(result.diagnostics.items.contains { $0.message.contains("its virtual hub is not in the configuration") })
        #expect(result.graph.all(VirtualHub.self).isEmpty)
    }

    /// The azurerm `lb_nat_rule` and `network_interface_nat_rule_association` examples (single port) and an
    /// `lb_backend_address_pool_address` by IP: the NAT rule forwards frontend 50001 to vm1's port 22 and the pool holds
    /// the address; a NAT rule over a port range is not read, with a warning.
    @Test func natRulesAndPoolAddresses() throws {
        var e = PlatformMappingTests.loadBalancer()
        e.terraform.append("""
        resource "azurerm_lb_nat_rule" "ssh" {
          resource_group_name            = azurerm_resource_group.rg.name
          loadbalancer_id                = azurerm_lb.lb.id
          name                           = "ssh-vm1"
          protocol                       = "Tcp"
          frontend_port                  = 50001
          backend_port                   = 22
          frontend_ip_configuration_name = "frontend"
        }

        resource "azurerm_network_interface_nat_rule_association" "vm1" {
          network_interface_id  = azurerm_network_interface.vm1.id
          ip_configuration_name = "ipconfig1"
          nat_rule_id           = azurerm_lb_nat_rule.ssh.id
        }

        resource "azurerm_lb_nat_rule" "range" {
          resource_group_name            = azurerm_resource_group.rg.name
          loadbalancer_id                = azurerm_lb.lb.id
          name                           = "range"
          protocol                       = "Tcp"
          frontend_port_start            = 3000
          frontend_port_end              = 3389
          backend_port                   = 3389
          backend_address_pool_id        = azurerm_lb_backend_address_pool.pool.id
          frontend_ip_configuration_name = "frontend"
        }

        resource "azurerm_lb_backend_address_pool_address" "appliance" {
          name                    = "appliance"
          backend_address_pool_id = azurerm_lb_backend_address_pool.pool.id
          virtual_network_id      = azurerm_virtual_network.vnet.id
          ip_address              = "10.1.0.10"
        }
        """)
        let result = try e.readTerraform()
        let lb = try #require(result.graph.all(LoadBalancer.self).first)
        #expect(lb.inboundNatRules.map(\.name) == ["ssh-vm1"])
        #expect(lb.inboundNatRules.first?.frontendPort == 50001 && lb.inboundNatRules.first?.backendPort == 22)
        #expect(lb.backendPools.first?.addresses == [IPv4Address("10.1.0.10")!])
        let vm1 = try #require(result.graph.all(NetworkInterface.self).first { $0.name == "vm1" })
        #expect(vm1.ipConfigurations.first?.loadBalancerInboundNatRules == [lb.id.child("inboundNatRules", "ssh-vm1")])
        #expect(result.diagnostics.items.contains { $0.message.contains("azurerm_lb_nat_rule.range: inbound NAT rules over a port range") })
        let model = NetworkModel.compile(result.graph, options: NetworkOptions())
        let trace = model.trace(from: .address(IPv4Address("10.1.1.4")!), to: .address(IPv4Address("10.1.0.100")!), port: 50001)
        #expect(trace.verdict == .allowed && trace.text.contains("10.1.0.4:22"), "\(trace.text)")
    }

    /// Hub routes to a service or resource (non-CIDR destinations) and the hub's legacy `route` blocks are not read.
    @Test func hubRoutesThatAreNotReadAreNamed() throws {
        var e = PlatformMappingTests.virtualWAN()
        e.terraform.append("""
        resource "azurerm_virtual_hub_route_table_route" "service" {
          route_table_id    = azurerm_virtual_hub_route_table.vnet.id
          name              = "to-service"
          destinations_type = "Service"
          destinations      = ["AzureCloud"]
          next_hop_type     = "ResourceId"
          next_hop          = azurerm_virtual_hub_connection.spoke3.id
        }
        """)
        let result = try e.readTerraform()
        #expect(result.graph.all(VirtualHub.self).first?.routeTables.first?.routes.isEmpty == true)
        #expect(result.diagnostics.items.contains { $0.message.contains("hub route 'to-service' with destinations_type Service is not read") })
    }
}

/// Defaults and renamed arguments by the azurerm major version the configuration pins.
@Suite struct PlatformProviderVersionTests {
    static func read(_ constraint: String, _ body: String) throws -> TerraformReadResult {
        var e = PlatformEstate()
        e.terraform.insert("""
        terraform {
          required_providers {
            azurerm = {
              source  = "hashicorp/azurerm"
              version = "\(constraint)"
            }
          }
        }
        """, at: 0)
        e.terraform.append(body)
        return try e.readTerraform()
    }

    static let loadBalancer = """
    resource "azurerm_lb" "lb" {
      name                = "lb"
      location            = azurerm_resource_group.rg.location
      resource_group_name = azurerm_resource_group.rg.name
    }
    """

    /// "The `sku` property now defaults to `Standard`" (4.0 upgrade guide); 3.x defaults it to Basic
    /// (https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/guides/4.0-upgrade-guide#azurerm_lb).
    @Test func loadBalancerSkuDefaultsByMajorVersion() throws {
        #expect(try Self.read("~> 3.100", Self.loadBalancer).graph.all(LoadBalancer.self).first?.sku == "Basic")
        #expect(try Self.read("~> 4.50", Self.loadBalancer).graph.all(LoadBalancer.self).first?.sku == "Standard")
    }

    /// `enable_bgp` (3.x, 4.x) was renamed `bgp_enabled` (4.81, 5.x): both read.
    @Test func connectionBgpUnderBothNames() throws {
        for (constraint, argument) in [("~> 3.100", "enable_bgp"), ("~> 4.81", "bgp_enabled")] {
            let result = try Self.read(constraint, """
            resource "azurerm_virtual_network_gateway_connection" "c" {
              name                            = "c"
              location                        = azurerm_resource_group.rg.location
              resource_group_name             = azurerm_resource_group.rg.name
              type                            = "Vnet2Vnet"
              virtual_network_gateway_id      = "\(PlatformEstate.network)/virtualNetworkGateways/a"
              peer_virtual_network_gateway_id = "\(PlatformEstate.network)/virtualNetworkGateways/b"
              \(argument) = true
            }
            """)
            let connection = try #require(result.graph.all(VirtualNetworkGatewayConnection.self).first)
            #expect(connection.enableBgp, "\(argument)")
            #expect(connection.connectionType == "Vnet2Vnet" && connection.remoteVirtualNetworkGateway?.name == "b")
        }
    }
}

/// The azurerm `virtual_network_gateway_connection` ExpressRoute form: the connection names its circuit, whose ID the
/// reader builds like any other (the circuit itself is kept as an opaque resource, as the ARM importer keeps it).
@Suite struct ExpressRouteConnectionTests {
    @Test func anExpressRouteConnectionNamesItsCircuit() throws {
        var e = PlatformEstate()
        e.terraform.append("""
        resource "azurerm_express_route_circuit" "circuit" {
          name                  = "er-circuit"
          resource_group_name   = azurerm_resource_group.rg.name
          location              = azurerm_resource_group.rg.location
          service_provider_name = "Equinix"
          peering_location      = "Silicon Valley"
          bandwidth_in_mbps     = 50
          sku {
            tier   = "Standard"
            family = "MeteredData"
          }
        }

        resource "azurerm_virtual_network_gateway_connection" "er" {
          name                       = "er"
          location                   = azurerm_resource_group.rg.location
          resource_group_name        = azurerm_resource_group.rg.name
          type                       = "ExpressRoute"
          virtual_network_gateway_id = "\(PlatformEstate.network)/virtualNetworkGateways/ergw"
          express_route_circuit_id   = azurerm_express_route_circuit.circuit.id
        }
        """)
        let result = try e.readTerraform()
        let connection = try #require(result.graph.all(VirtualNetworkGatewayConnection.self).first)
        #expect(connection.connectionType == "ExpressRoute")
        #expect(connection.expressRouteCircuit == ResourceID("\(PlatformEstate.network)/expressRouteCircuits/er-circuit"))
        #expect(!result.diagnostics.items.contains { $0.message.contains("only known after apply") }, "\(result.diagnostics.items)")
    }
}
