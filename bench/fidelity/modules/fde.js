// fast-deep-equal over the eight small nested pairs. Its own function literal: a loop shared
// with lodash.js would see two callees and stop inlining either.
const equal = require('fast-deep-equal');
const { pairs } = require('./data');

exports.make = () => () => {
  let n = 0;
  for (let i = 0; i < pairs.length; i++) if (equal(pairs[i][0], pairs[i][1])) n++;
  return n;
};
