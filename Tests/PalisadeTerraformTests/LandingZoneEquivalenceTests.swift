import Foundation
import PalisadeModel
import PalisadeNetwork
import Testing
@testable import PalisadeTerraform

/// One small landing zone written as Terraform and as the ARM resources an export lists: a hub VNet with a VPN
/// gateway to an on-premises site and a DNS Private Resolver, a spoke with an internal load balancer, and Azure
/// Virtual Network Manager connecting the spoke to the hub (hub-and-spoke, using the hub's gateway) and denying SMB to
/// on-premises with a security admin rule. The engine's traces over both inputs read the same, hop by hop.
/// (https://learn.microsoft.com/azure/virtual-network-manager/concept-connectivity-configuration,
/// https://learn.microsoft.com/azure/virtual-network-manager/concept-security-admins,
/// https://learn.microsoft.com/azure/dns/private-resolver-endpoints-rulesets,
/// https://learn.microsoft.com/azure/load-balancer/components)
@Suite struct LandingZoneEquivalenceTests {
    static let net = PlatformEstate.network

    static func landingZone() -> PlatformEstate {
        var e = PlatformEstate()
        e.vnet("hub", "10.0.0.0/16")
        e.subnet("hub", "GatewaySubnet", "10.0.255.0/27")
        e.subnet("hub", "inbound", "10.0.0.0/28", delegation: "Microsoft.Network/dnsResolvers")
        e.subnet("hub", "outbound", "10.0.0.16/28", delegation: "Microsoft.Network/dnsResolvers")
        e.vnet("spoke", "10.1.0.0/16")
        e.subnet("spoke", "backend", "10.1.0.0/24")
        e.subnet("spoke", "clients", "10.1.1.0/24")
        let pool = "\(net)/loadBalancers/lb/backendAddressPools/pool"
        e.nic("vm1", "spoke", "backend", "10.1.0.4", armPools: [pool])
        e.nic("client", "spoke", "clients", "10.1.1.4")
        e.terraform.append("""
        data "azurerm_subscription" "current" {}

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
          address_space       = ["192.168.0.0/16"]
        }

        resource "azurerm_virtual_network_gateway" "vpn" {
          name                = "vpn"
          location            = azurerm_resource_group.rg.location
          resource_group_name = azurerm_resource_group.rg.name
          type                = "Vpn"
          vpn_type            = "RouteBased"
          sku                 = "VpnGw1"

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

        resource "azurerm_private_dns_resolver" "resolver" {
          name                = "resolver"
          resource_group_name = azurerm_resource_group.rg.name
          location            = azurerm_resource_group.rg.location
          virtual_network_id  = azurerm_virtual_network.hub.id
        }

        resource "azurerm_private_dns_resolver_inbound_endpoint" "inbound" {
          name                    = "inbound"
          private_dns_resolver_id = azurerm_private_dns_resolver.resolver.id
          location                = azurerm_private_dns_resolver.resolver.location
          ip_configurations {
            private_ip_allocation_method = "Static"
            private_ip_address           = "10.0.0.4"
            subnet_id                    = azurerm_subnet.hub_inbound.id
          }
        }

        resource "azurerm_private_dns_resolver_outbound_endpoint" "outbound" {
          name                    = "outbound"
          private_dns_resolver_id = azurerm_private_dns_resolver.resolver.id
          location                = azurerm_private_dns_resolver.resolver.location
          subnet_id               = azurerm_subnet.hub_outbound.id
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
          target_dns_servers {
            ip_address = "192.168.0.53"
            port       = 53
          }
        }

        resource "azurerm_private_dns_resolver_virtual_network_link" "spoke" {
          name                      = "spoke"
          dns_forwarding_ruleset_id = azurerm_private_dns_resolver_dns_forwarding_ruleset.ruleset.id
          virtual_network_id        = azurerm_virtual_network.spoke.id
        }

        resource "azurerm_lb" "lb" {
          name                = "lb"
          location            = azurerm_resource_group.rg.location
          resource_group_name = azurerm_resource_group.rg.name
          sku                 = "Standard"

          frontend_ip_configuration {
            name                          = "frontend"
            subnet_id                     = azurerm_subnet.spoke_backend.id
            private_ip_address_allocation = "Static"
            private_ip_address            = "10.1.0.100"
          }
        }

        resource "azurerm_lb_backend_address_pool" "pool" {
          loadbalancer_id = azurerm_lb.lb.id
          name            = "pool"
        }

        resource "azurerm_lb_probe" "https" {
          loadbalancer_id = azurerm_lb.lb.id
          name            = "https-probe"
          protocol        = "Tcp"
          port            = 443
        }

        resource "azurerm_lb_rule" "https" {
          loadbalancer_id                = azurerm_lb.lb.id
          name                           = "https"
          protocol                       = "Tcp"
          frontend_port                  = 443
          backend_port                   = 8443
          frontend_ip_configuration_name = "frontend"
          backend_address_pool_ids       = [azurerm_lb_backend_address_pool.pool.id]
          probe_id                       = azurerm_lb_probe.https.id
        }

        resource "azurerm_network_interface_backend_address_pool_association" "vm1" {
          network_interface_id    = azurerm_network_interface.vm1.id
          ip_configuration_name   = "ipconfig1"
          backend_address_pool_id = azurerm_lb_backend_address_pool.pool.id
        }

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

        resource "azurerm_network_manager_static_member" "spoke" {
          name                      = "spoke"
          network_group_id          = azurerm_network_manager_network_group.spokes.id
          target_virtual_network_id = azurerm_virtual_network.spoke.id
        }

        resource "azurerm_network_manager_connectivity_configuration" "hubspoke" {
          name                  = "hubspoke"
          network_manager_id    = azurerm_network_manager.avnm.id
          connectivity_topology = "HubAndSpoke"
          applies_to_group {
            group_connectivity = "None"
            network_group_id   = azurerm_network_manager_network_group.spokes.id
            use_hub_gateway    = true
          }
          hub {
            resource_id   = azurerm_virtual_network.hub.id
            resource_type = "Microsoft.Network/virtualNetworks"
          }
        }

        resource "azurerm_network_manager_security_admin_configuration" "baseline" {
          name               = "baseline"
          network_manager_id = azurerm_network_manager.avnm.id
        }

        resource "azurerm_network_manager_admin_rule_collection" "onprem" {
          name                            = "onprem"
          security_admin_configuration_id = azurerm_network_manager_security_admin_configuration.baseline.id
          network_group_ids               = [azurerm_network_manager_network_group.spokes.id]
        }

        resource "azurerm_network_manager_admin_rule" "deny_smb" {
          name                     = "deny-smb-to-onprem"
          admin_rule_collection_id = azurerm_network_manager_admin_rule_collection.onprem.id
          action                   = "Deny"
          direction                = "Outbound"
          priority                 = 10
          protocol                 = "Tcp"
          destination_port_ranges  = ["445"]
          destination {
            address_prefix_type = "IPPrefix"
            address_prefix      = "192.168.0.0/16"
          }
        }

        resource "azurerm_network_manager_deployment" "connectivity" {
          network_manager_id = azurerm_network_manager.avnm.id
          location           = "westeurope"
          scope_access       = "Connectivity"
          configuration_ids  = [azurerm_network_manager_connectivity_configuration.hubspoke.id]
        }

        resource "azurerm_network_manager_deployment" "security" {
          network_manager_id = azurerm_network_manager.avnm.id
          location           = "westeurope"
          scope_access       = "SecurityAdmin"
          configuration_ids  = [azurerm_network_manager_security_admin_configuration.baseline.id]
        }
        """)
        let r = "\(net)/dnsResolvers/resolver"
        let s = "\(net)/dnsForwardingRulesets/ruleset"
        let m = "\(net)/networkManagers/avnm"
        e.arm += ["""
        {"id": "\(net)/publicIPAddresses/gateway-ip", "type": "Microsoft.Network/publicIPAddresses", "name": "gateway-ip", "location": "westeurope",
         "sku": {"name": "Standard"}, "properties": {"publicIPAllocationMethod": "Static"}}
        """, """
        {"id": "\(net)/localNetworkGateways/onpremise", "type": "Microsoft.Network/localNetworkGateways", "name": "onpremise", "location": "westeurope",
         "properties": {"gatewayIpAddress": "168.62.225.23", "localNetworkAddressSpace": {"addressPrefixes": ["192.168.0.0/16"]}}}
        """, """
        {"id": "\(net)/virtualNetworkGateways/vpn", "type": "Microsoft.Network/virtualNetworkGateways", "name": "vpn", "location": "westeurope",
         "properties": {"gatewayType": "Vpn", "vpnType": "RouteBased", "sku": {"name": "VpnGw1", "tier": "VpnGw1"},
           "ipConfigurations": [{"name": "vnetGatewayConfig", "properties": {"privateIPAllocationMethod": "Dynamic",
             "subnet": {"id": "\(net)/virtualNetworks/hub/subnets/GatewaySubnet"}, "publicIPAddress": {"id": "\(net)/publicIPAddresses/gateway-ip"}}}]}}
        """, """
        {"id": "\(net)/connections/onpremise", "type": "Microsoft.Network/connections", "name": "onpremise", "location": "westeurope",
         "properties": {"connectionType": "IPsec", "virtualNetworkGateway1": {"id": "\(net)/virtualNetworkGateways/vpn"},
                        "localNetworkGateway2": {"id": "\(net)/localNetworkGateways/onpremise"}}}
        """, """
        {"id": "\(r)", "type": "Microsoft.Network/dnsResolvers", "name": "resolver", "location": "westeurope",
         "properties": {"virtualNetwork": {"id": "\(net)/virtualNetworks/hub"}}}
        """, """
        {"id": "\(r)/inboundEndpoints/inbound", "type": "Microsoft.Network/dnsResolvers/inboundEndpoints", "name": "inbound", "location": "westeurope",
         "properties": {"ipConfigurations": [{"privateIpAddress": "10.0.0.4", "privateIpAllocationMethod": "Static",
           "subnet": {"id": "\(net)/virtualNetworks/hub/subnets/inbound"}}]}}
        """, """
        {"id": "\(r)/outboundEndpoints/outbound", "type": "Microsoft.Network/dnsResolvers/outboundEndpoints", "name": "outbound", "location": "westeurope",
         "properties": {"subnet": {"id": "\(net)/virtualNetworks/hub/subnets/outbound"}}}
        """, """
        {"id": "\(s)", "type": "Microsoft.Network/dnsForwardingRulesets", "name": "ruleset", "location": "westeurope",
         "properties": {"dnsResolverOutboundEndpoints": [{"id": "\(r)/outboundEndpoints/outbound"}]}}
        """, """
        {"id": "\(s)/forwardingRules/onprem", "type": "Microsoft.Network/dnsForwardingRulesets/forwardingRules", "name": "onprem",
         "properties": {"domainName": "onprem.contoso.com.", "targetDnsServers": [{"ipAddress": "192.168.0.53", "port": 53}]}}
        """, """
        {"id": "\(s)/virtualNetworkLinks/spoke", "type": "Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks", "name": "spoke",
         "properties": {"virtualNetwork": {"id": "\(net)/virtualNetworks/spoke"}}}
        """, """
        {"id": "\(net)/loadBalancers/lb", "type": "Microsoft.Network/loadBalancers", "name": "lb", "location": "westeurope", "sku": {"name": "Standard"},
         "properties": {
           "frontendIPConfigurations": [{"name": "frontend", "properties": {"privateIPAllocationMethod": "Static", "privateIPAddress": "10.1.0.100",
             "subnet": {"id": "\(net)/virtualNetworks/spoke/subnets/backend"}}}],
           "backendAddressPools": [{"name": "pool", "properties": {}}],
           "loadBalancingRules": [{"name": "https", "properties": {"frontendIPConfiguration": {"id": "\(net)/loadBalancers/lb/frontendIPConfigurations/frontend"},
             "backendAddressPool": {"id": "\(pool)"}, "probe": {"id": "\(net)/loadBalancers/lb/probes/https-probe"},
             "protocol": "Tcp", "frontendPort": 443, "backendPort": 8443}}],
           "probes": [{"name": "https-probe", "properties": {"protocol": "Tcp", "port": 443}}]}}
        """, """
        {"id": "\(m)", "type": "Microsoft.Network/networkManagers", "name": "avnm", "location": "westeurope",
         "properties": {"networkManagerScopeAccesses": ["Connectivity", "SecurityAdmin"],
                        "networkManagerScopes": {"subscriptions": ["/subscriptions/\(PlatformEstate.subscription)"]}}}
        """, """
        {"id": "\(m)/networkGroups/spokes", "type": "Microsoft.Network/networkManagers/networkGroups", "name": "spokes", "properties": {}}
        """, """
        {"id": "\(m)/networkGroups/spokes/staticMembers/spoke", "type": "Microsoft.Network/networkManagers/networkGroups/staticMembers", "name": "spoke",
         "properties": {"resourceId": "\(net)/virtualNetworks/spoke"}}
        """, """
        {"id": "\(m)/connectivityConfigurations/hubspoke", "type": "Microsoft.Network/networkManagers/connectivityConfigurations", "name": "hubspoke",
         "properties": {"connectivityTopology": "HubAndSpoke",
           "hubs": [{"resourceId": "\(net)/virtualNetworks/hub", "resourceType": "Microsoft.Network/virtualNetworks"}],
           "appliesToGroups": [{"networkGroupId": "\(m)/networkGroups/spokes", "groupConnectivity": "None", "useHubGateway": "True"}]}}
        """, """
        {"id": "\(m)/securityAdminConfigurations/baseline", "type": "Microsoft.Network/networkManagers/securityAdminConfigurations", "name": "baseline",
         "properties": {}}
        """, """
        {"id": "\(m)/securityAdminConfigurations/baseline/ruleCollections/onprem", "type": "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections",
         "name": "onprem", "properties": {"appliesToGroups": [{"networkGroupId": "\(m)/networkGroups/spokes"}]}}
        """, """
        {"id": "\(m)/securityAdminConfigurations/baseline/ruleCollections/onprem/rules/deny-smb-to-onprem",
         "type": "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections/rules", "name": "deny-smb-to-onprem", "kind": "Custom",
         "properties": {"access": "Deny", "direction": "Outbound", "priority": 10, "protocol": "Tcp",
                        "destinations": [{"addressPrefix": "192.168.0.0/16", "addressPrefixType": "IPPrefix"}], "destinationPortRanges": ["445"]}}
        """]
        return e
    }

    @Test func terraformAndARMGiveTheSameVerdicts() throws {
        let estate = Self.landingZone()
        let result = try estate.readTerraform()
        let arm = try estate.importARM()
        func same<T: AzureResource>(_ type: T.Type) -> Bool { PlatformEstate.resources(result.graph, type) == PlatformEstate.resources(arm, type) }
        #expect(same(LoadBalancer.self))
        #expect(same(LocalNetworkGateway.self))
        #expect(same(VirtualNetworkGatewayConnection.self))
        #expect(same(DnsResolver.self))
        #expect(same(DnsForwardingRuleset.self))
        #expect(same(NetworkManager.self))
        let traces = PlatformEstate.traces(terraform: result.graph, arm: arm, [
            ("10.1.1.4", .address(IPv4Address("10.1.0.100")!), 443),     // the load balancer's rule
            ("10.1.0.4", .address(IPv4Address("192.168.1.10")!), 443),   // on-premises through the hub's gateway
            ("10.1.0.4", .address(IPv4Address("192.168.1.10")!), 445),   // SMB to on-premises: the admin rule
            ("10.1.0.4", .name("files.onprem.contoso.com"), 443),        // the ruleset linked to the spoke
            ("10.1.0.4", .address(IPv4Address("10.0.0.4")!), 53),        // the resolver's inbound endpoint, over the hub-and-spoke peering
        ])
        #expect(traces[0].verdict == .allowed && traces[0].text.contains("10.1.0.4:8443"), "\(traces[0].text)")
        // The spoke learns the on-premises prefix from the hub's gateway (useHubGateway); what the engine does at the
        // gateway hop is the same for both inputs (compared above).
        #expect(traces[1].text.contains("VirtualNetworkGateway route Gateway onpremise 192.168.0.0/16"), "\(traces[1].text)")
        #expect(traces[2].verdict == .denied && traces[2].text.contains("deny-smb-to-onprem"), "\(traces[2].text)")
        #expect(traces[3].text.contains("forwarding ruleset ruleset sends it to 192.168.0.53"), "\(traces[3].text)")
        #expect(traces[4].verdict == .allowed, "\(traces[4].text)")
        // reach agrees too: what each VM reaches, folded as the CLI prints it.
        let ours = NetworkModel.compile(result.graph, options: NetworkOptions())
        let theirs = NetworkModel.compile(arm, options: NetworkOptions())
        for source in ["10.1.0.4", "10.1.1.4"] {
            let fromTerraform = ours.reach(from: .address(IPv4Address(source)!)).summary(FlowFolder(model: ours)).text
            let fromARM = theirs.reach(from: .address(IPv4Address(source)!)).summary(FlowFolder(model: theirs)).text
            #expect(fromTerraform == fromARM, "Terraform:\n\(fromTerraform)\nARM:\n\(fromARM)")
            #expect(fromTerraform.contains("spoke/backend (part) (10.1.0.100)  Tcp/443"), "the load balancer frontend: \(fromTerraform)")
        }
    }
}
