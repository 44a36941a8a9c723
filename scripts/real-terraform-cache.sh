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
