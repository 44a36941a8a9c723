#!/bin/sh
# Builds the cache of real Terraform configurations the Terraform reader's tests read when present
# (Tests/PalisadeTerraformTests/RealConfigurationTests.swift). Nothing here is committed: the files come from local
# git mirrors of public repositories and are extracted with git into a directory outside the repository.
#
#   scripts/real-terraform-cache.sh [CACHE_DIR]      (default: /tmp/palisade-real-terraform)
#
# Mirrors are looked up under $PALISADE_MIRRORS (default /work/.mirror) as <owner>+<name>/repo (bare git
# directories); a repository without a mirror is skipped. The tests find the cache through
# $PALISADE_REAL_TERRAFORM, or /tmp/palisade-real-terraform.
set -eu
cache=${1:-/tmp/palisade-real-terraform}
mirrors=${PALISADE_MIRRORS:-/work/.mirror}
mkdir -p "$cache"

# extract OWNER+NAME TARGET PATH... : the .tf/.tf.json/.tfvars/.json/.tpl files under PATHs at the mirror's HEAD.
extract() {
    repo="$mirrors/$1/repo"
    name=$2
    target="$cache/$name"
    shift 2
    if [ ! -d "$repo" ]; then
        echo "skip: no mirror at $repo" >&2
        return 0
    fi
    rm -rf "$target"
    mkdir -p "$target"
    # Partial mirrors may lack large unrelated blobs; git names them on stderr, the asked paths still extract.
    git --git-dir="$repo" archive --format=tar HEAD -- "$@" 2>/dev/null | tar -x -C "$target"
    # Documentation, images and Go test code are not read; scripts and templates the configurations load stay.
    find "$target" -type f \( -name '*.md' -o -name '*.png' -o -name '*.svg' -o -name '*.go' -o -name '*_test.*' \) -delete
    git --git-dir="$repo" rev-parse HEAD > "$target/.commit"
    echo "$name: $(find "$target" -name '*.tf' | wc -l) .tf files at $(cat "$target/.commit")"
}

# The AVM Azure Machine Learning workspace module: its examples call the module at ../../ (the repository root).
avm_paths=$(git --git-dir="$mirrors/Azure+terraform-azurerm-avm-res-machinelearningservices-workspace/repo" ls-tree --name-only HEAD 2>/dev/null \
    | grep -E '\.tf$|^modules$|^examples$' || true)
if [ -n "$avm_paths" ]; then
    # shellcheck disable=SC2086
    extract Azure+terraform-azurerm-avm-res-machinelearningservices-workspace avm-ml-workspace $avm_paths
fi

# hashicorp/terraform-provider-azurerm examples: private endpoints, virtual networks (NSGs), virtual machines.
extract hashicorp+terraform-provider-azurerm azurerm-examples examples/private-endpoint examples/virtual-networks \
    examples/virtual-machines/linux examples/virtual-machines/windows examples/log-analytics examples/container-registry

# microsoft/AzureTRE (formerly Azure/AzureTRE): its Azure ML workspace service.
extract microsoft+AzureTRE azuretre-azureml templates/workspace_services/azureml

# hashicorp/terraform-provider-azurerm: examples with load balancers (traffic-manager/vm-scale-set) and a virtual hub
# (paloalto/ngfw-virtual-hub-panorama, virtual-networks/virtual-hub above).
extract hashicorp+terraform-provider-azurerm azurerm-platform-examples examples/traffic-manager/vm-scale-set \
    examples/paloalto/ngfw-virtual-hub-panorama

# The "Example Usage" configuration (the first hcl block) of the documentation page of each platform type the
# Terraform reader maps, as examples/<page>/main.tf: load balancers, site-to-site VPN, DNS Private Resolver, Virtual
# WAN and Azure Virtual Network Manager.
docs_examples() {
    repo="$mirrors/hashicorp+terraform-provider-azurerm/repo"
    target="$cache/azurerm-docs"
    if [ ! -d "$repo" ]; then
        echo "skip: no mirror at $repo" >&2
        return 0
    fi
    rm -rf "$target"
    for page in lb lb_backend_address_pool lb_backend_address_pool_address lb_probe lb_rule lb_nat_rule \
        network_interface_backend_address_pool_association network_interface_nat_rule_association \
        local_network_gateway virtual_network_gateway_connection \
        private_dns_resolver private_dns_resolver_inbound_endpoint private_dns_resolver_outbound_endpoint \
        private_dns_resolver_dns_forwarding_ruleset private_dns_resolver_forwarding_rule private_dns_resolver_virtual_network_link \
        virtual_wan virtual_hub virtual_hub_connection virtual_hub_route_table virtual_hub_route_table_route \
        virtual_hub_routing_intent \
        network_manager network_manager_network_group network_manager_static_member \
        network_manager_security_admin_configuration network_manager_admin_rule_collection network_manager_admin_rule \
        network_manager_connectivity_configuration network_manager_deployment; do
        mkdir -p "$target/examples/$page"
        git --git-dir="$repo" show "HEAD:website/docs/r/$page.html.markdown" 2>/dev/null \
            | awk '/^```hcl/ { if (!done) { inside = 1; next } } /^```/ { if (inside) { inside = 0; done = 1 } } inside' \
            > "$target/examples/$page/main.tf"
        [ -s "$target/examples/$page/main.tf" ] || rm -rf "${target:?}/examples/$page"
    done
    git --git-dir="$repo" rev-parse HEAD > "$target/.commit"
    echo "azurerm-docs: $(find "$target" -name main.tf | wc -l) documented examples at $(cat "$target/.commit")"
}
docs_examples
