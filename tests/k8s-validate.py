#!/usr/bin/env python3
# k8s-validate.py - check what 'leash compile -t k8s' wrote against the
# schemas the Kubernetes API server applies, and turn the SeccompProfile
# back into the OCI linux.seccomp a runtime gets.  Used by
# tests/run-k8s.sh.
#
#   k8s-validate.py DATA NAME.spo.yaml NAME.pod.yaml NAME.seccomp.json OUT
#
# DATA is tests/data (spo/*.crd.yaml: SPO's CRDs; k8s/*.json: Kubernetes'
# strict SecurityContext, PodSecurityContext, ResourceRequirements).
#
#  - NAME.spo.yaml holds exactly a SeccompProfile and an AppArmorProfile,
#    each valid against its CRD's v1 openAPIV3Schema made strict: the API
#    server prunes unknown fields, so any field the schema does not name
#    (one the runtime would then never see) is an error here, and so is
#    an integer outside its int32/int64 format.  Cluster-scoped: no
#    namespace; the name is a DNS-1123 subdomain.
#  - NAME.pod.yaml is {spec: {securityContext?, containers: [one]}} with
#    the container's securityContext, resources and the pod-level
#    securityContext valid against Kubernetes' strict schemas, naming
#    operator/NAME.json and the AppArmorProfile.
#  - The SeccompProfile's spec, marshalled as SPO writes it on the node
#    (Go encoding/json, omitempty: errnoRet, value, valueTwo 0 vanish),
#    is written to OUT as an OCI linux.seccomp, and must equal
#    NAME.seccomp.json field for field (Docker's "comment" aside, and a
#    defaultErrnoRet of EPERM, what SCMP_ACT_ERRNO means without it).
# Prints what is wrong and exits 1, or exits 0.

import json
import re
import sys

import jsonschema
import yaml

DNS_SUBDOMAIN = re.compile(r'^[a-z0-9]([-a-z0-9]*[a-z0-9])?'
                           r'(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')
DNS_LABEL = re.compile(r'^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')

errors = []


def fail(msg):
    errors.append(msg)


def strict(schema):
    """The structural schema as the API server applies it: unknown
    fields are pruned there, so they are errors here."""
    if isinstance(schema, list):
        return [strict(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: strict(v) for k, v in schema.items()
           if not k.startswith('x-kubernetes-') and k != 'description'}
    if (schema.get('type') == 'object' and 'properties' in schema and
            'additionalProperties' not in schema and
            not schema.get('x-kubernetes-preserve-unknown-fields')):
        out['additionalProperties'] = False
    return out


formats = jsonschema.FormatChecker()


@formats.checks('int64')
def int64(v):
    return not isinstance(v, int) or -2**63 <= v < 2**63


@formats.checks('int32')
def int32(v):
    return not isinstance(v, int) or -2**31 <= v < 2**31


def validate(what, instance, schema):
    v = jsonschema.Draft7Validator(schema, format_checker=formats)
    for e in sorted(v.iter_errors(instance), key=lambda e: list(e.path)):
        fail('%s: %s: %s' % (what, '/'.join(str(p) for p in e.path),
                             e.message))


def crd(path):
    with open(path) as f:
        d = yaml.safe_load(f)
    spec = d['spec']
    for ver in spec['versions']:
        if ver['name'] == 'v1':
            return spec, strict(ver['schema']['openAPIV3Schema'])
    raise SystemExit('%s: no v1 version' % path)


def check_object(what, obj, crd_spec, schema):
    want_api = crd_spec['group'] + '/v1'
    if obj.get('apiVersion') != want_api:
        fail('%s: apiVersion %r, not %r' % (what, obj.get('apiVersion'),
                                            want_api))
    if obj.get('kind') != crd_spec['names']['kind']:
        fail('%s: kind %r' % (what, obj.get('kind')))
    meta = obj.get('metadata') or {}
    if set(meta) != {'name'}:
        fail('%s: metadata has %s, not just a name' % (what, sorted(meta)))
    if crd_spec['scope'] != 'Cluster' or 'namespace' in meta:
        fail('%s: a cluster-scoped object was expected' % what)
    name = meta.get('name', '')
    if not (isinstance(name, str) and DNS_SUBDOMAIN.match(name) and
            len(name) <= 253):
        fail('%s: name %r is no DNS-1123 subdomain' % (what, name))
    validate(what, obj, schema)


def go_marshal(spec):
    """SPO's SeccompProfileSpec through encoding/json, as the node file."""
    out = {}
    for k in ('defaultAction', 'architectures', 'listenerPath',
              'listenerMetadata', 'syscalls', 'flags'):
        if spec.get(k):
            out[k] = spec[k]
    calls = []
    for c in out.get('syscalls', []):
        n = {'names': c['names'], 'action': c['action']}
        if c.get('errnoRet'):
            n['errnoRet'] = c['errnoRet']
        args = []
        for a in c.get('args') or []:
            m = {'index': a['index']}
            if a.get('value'):
                m['value'] = a['value']
            if a.get('valueTwo'):
                m['valueTwo'] = a['valueTwo']
            m['op'] = a['op']
            args.append(m)
        if args:
            n['args'] = args
        calls.append(n)
    if calls:
        out['syscalls'] = calls
    return out


GO_FIELDS = {'defaultAction', 'architectures', 'listenerPath',
             'listenerMetadata', 'syscalls', 'flags'}


def normal(what, prof):
    """NAME.seccomp.json with what omitempty would drop dropped too, and
    Docker's "comment"; any field SPO has no place for stays, so that
    the comparison fails."""
    p = {k: v for k, v in prof.items()
         if not (k == 'defaultErrnoRet' and v == 1)}
    for c in p.get('syscalls', []):
        extra = set(c) - {'names', 'action', 'errnoRet', 'args', 'comment'}
        extra |= {k for a in c.get('args') or [] for k in a} - \
            {'index', 'value', 'valueTwo', 'op'}
        if extra:
            fail('%s: fields a SeccompProfile has no place for: %s' %
                 (what, sorted(extra)))
    return dict(go_marshal(p), **{k: v for k, v in p.items()
                                  if k not in GO_FIELDS})


def main():
    data, spo_path, pod_path, json_path, out_path = sys.argv[1:6]
    sp_crd, sp_schema = crd(data + '/spo/seccompprofile.crd.yaml')
    ap_crd, ap_schema = crd(data + '/spo/apparmorprofile.crd.yaml')
    k8s = {}
    for n in ('securitycontext', 'podsecuritycontext',
              'resourcerequirements'):
        with open('%s/k8s/%s-v1.json' % (data, n)) as f:
            k8s[n] = json.load(f)

    with open(spo_path) as f:
        docs = list(yaml.safe_load_all(f))
    kinds = [d.get('kind') if isinstance(d, dict) else None for d in docs]
    if kinds != ['SeccompProfile', 'AppArmorProfile']:
        fail('%s: documents %r' % (spo_path, kinds))
        return
    sp, ap = docs
    check_object(spo_path + ': SeccompProfile', sp, sp_crd, sp_schema)
    check_object(spo_path + ': AppArmorProfile', ap, ap_crd, ap_schema)

    with open(pod_path) as f:
        pods = list(yaml.safe_load_all(f))
    if len(pods) != 1 or not isinstance(pods[0], dict) or \
            set(pods[0]) != {'spec'}:
        fail('%s: one document {spec: ...} was expected' % pod_path)
        return
    spec = pods[0]['spec']
    if not set(spec) <= {'securityContext', 'containers'}:
        fail('%s: spec has %s' % (pod_path, sorted(spec)))
    if 'securityContext' in spec:
        validate(pod_path + ': pod securityContext',
                 spec['securityContext'], k8s['podsecuritycontext'])
    cs = spec.get('containers')
    if not isinstance(cs, list) or len(cs) != 1:
        fail('%s: one container was expected' % pod_path)
        return
    c = cs[0]
    if not set(c) <= {'name', 'securityContext', 'resources'}:
        fail('%s: the container has %s' % (pod_path, sorted(c)))
    if not DNS_LABEL.match(str(c.get('name', ''))) or len(c['name']) > 63:
        fail('%s: container name %r' % (pod_path, c.get('name')))
    sc = c.get('securityContext', {})
    validate(pod_path + ': securityContext', sc, k8s['securitycontext'])
    if 'resources' in c:
        validate(pod_path + ': resources', c['resources'],
                 k8s['resourcerequirements'])
    want = {'type': 'Localhost',
            'localhostProfile': 'operator/%s.json' % sp['metadata']['name']}
    if sc.get('seccompProfile') != want:
        fail('%s: seccompProfile %r, not %r' % (pod_path,
                                                sc.get('seccompProfile'),
                                                want))
    aa = sc.get('appArmorProfile')
    if aa is not None and aa != {'type': 'Localhost',
                                 'localhostProfile':
                                 ap['metadata']['name']}:
        fail('%s: appArmorProfile %r does not name %r' %
             (pod_path, aa, ap['metadata']['name']))
    if sc.get('capabilities', {}).get('drop') != ['ALL']:
        fail('%s: capabilities do not drop ALL' % pod_path)

    oci = go_marshal(sp.get('spec') or {})
    with open(out_path, 'w') as f:
        json.dump(oci, f, indent=1)
    with open(json_path) as f:
        prof = json.load(f)
    if oci != normal(json_path, prof):
        fail('%s: the SeccompProfile spec is not %s field for field' %
             (spo_path, json_path))


main()
for e in errors:
    print(e)
sys.exit(1 if errors else 0)
