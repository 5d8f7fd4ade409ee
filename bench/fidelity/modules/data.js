// Shared inputs of the fidelity bench. Every path builds its own copy by loading this file
// (Jest's registry, Node's loader, plain Node), so no object crosses from one context to another.

/** A JSON document of ~1.4 kB. */
const doc = JSON.stringify({
  id: 1,
  name: 'rt-slo-reporter',
  tags: Array.from({ length: 20 }, (_, i) => `tag-${i}`),
  items: Array.from({ length: 25 }, (_, i) => ({ i, label: `item ${i}`, ok: i % 2 === 0, score: i * 1.5 })),
});

/** One small nested object; `tweak` changes one leaf deep inside. */
function nested(i, tweak) {
  return {
    id: i,
    name: `user-${i}`,
    roles: ['read', 'write'],
    profile: { age: 30 + i, tags: ['a', 'b', 'c'], address: { city: 'Lyon', zip: tweak ? '69002' : '69001' } },
  };
}

/** Eight pairs built separately (no shared references): six equal, two differing at the deepest leaf. */
const pairs = Array.from({ length: 8 }, (_, i) => [nested(i, false), nested(i, i % 4 === 3)]);

/** The probe's input: an array, so both global lookups run on every call. */
const probeInput = [1, 'two', [3], { e: 4 }];

module.exports = { doc, pairs, probeInput };
