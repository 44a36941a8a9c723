import PalisadeModel

extension GraphBuilder {
    /// Bastion, the jumpbox (no public IP; password generated into Key Vault) and the point-to-site gateway.
    mutating func addAccess() {
        if spec.bastionEnabled, let subnet = plan.subnet(named: SpecialSubnet.bastion.rawValue) {
            insert(PublicIPAddress(id: naming.bastionPublicIP, location: location))  // docs/semantics.md#bastion: Standard, Static
            var bastion = BastionHost(id: naming.bastion, location: location)
            bastion.sku = spec.access.bastion.sku
            bastion.enableTunneling = spec.access.bastion.sku != "Basic"
            bastion.ipConfigurations = [IPConfiguration(name: "ipconfig", subnet: naming.subnet(subnet.name),
                                                        publicIPAddress: naming.bastionPublicIP)]
            insert(bastion)
        }
        if spec.access.jumpbox.enabled, let subnet = plan.subnet(for: .jumpbox) {
            var nic = NetworkInterface(id: naming.jumpboxNIC, location: location)
            nic.ipConfigurations = [IPConfiguration(name: "ipconfig", subnet: naming.subnet(subnet.name))]
            insert(nic)
            let secret = naming.keyVault.child("secrets", "jumpbox-admin-password")
            var password = KeyVaultSecret(id: secret)
            password.value = .generated(length: 24)
            password.contentType = "password"
            insert(password)
            var vm = VirtualMachine(id: naming.jumpbox, location: location)
            vm.size = spec.access.jumpbox.size
            vm.osType = spec.access.jumpbox.os == "linux" ? "Linux" : "Windows"
            vm.image = vm.osType == "Linux"
                ? "microsoft-dsvm:ubuntu-2204:2204-gen2:latest"
                : "microsoft-dsvm:dsvm-win-2022:winserver-2022:latest"
            vm.networkInterfaces = [naming.jumpboxNIC]
            vm.adminUsername = spec.access.jumpbox.adminUsername
            vm.adminPassword = .keyVaultSecret(vault: naming.keyVault, name: "jumpbox-admin-password")
            vm.identity = .system
            insert(vm)
        }
        if spec.access.vpn.enabled, let subnet = plan.subnet(named: SpecialSubnet.gateway.rawValue) {
            var address = PublicIPAddress(id: naming.gatewayPublicIP, location: location)
            // A zone-redundant gateway needs a zone-redundant public IP; only regions with zones have them.
            let sku = spec.access.vpn.sku ?? (naming.region.hasAvailabilityZones ? "VpnGw1AZ" : "VpnGw1")
            if AzureRegion.gatewaySkuNeedsZones(sku) { address.zones = ["1", "2", "3"] }
            insert(address)
            var gateway = VirtualNetworkGateway(id: naming.gateway, location: location)
            // Zone-redundant `AZ` SKUs exist only in regions with availability zones
            // (https://learn.microsoft.com/azure/vpn-gateway/about-zone-redundant-vnet-gateways).
            gateway.sku = spec.access.vpn.sku ?? (naming.region.hasAvailabilityZones ? "VpnGw1AZ" : "VpnGw1")
            gateway.ipConfigurations = [IPConfiguration(name: "vnetGatewayConfig", subnet: naming.subnet(subnet.name),
                                                        publicIPAddress: naming.gatewayPublicIP)]
            var clients = VpnClientConfiguration(addressPool: [spec.access.vpn.clientAddressPool])
            clients.rootCertificates = [VpnRootCertificate(name: spec.access.vpn.rootCertificateName,
                                                           publicCertData: spec.access.vpn.rootCertificateData)]
            gateway.vpnClientConfiguration = clients
            insert(gateway)
        }
    }
}
