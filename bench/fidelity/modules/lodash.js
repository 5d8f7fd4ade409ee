// lodash.isequal over the same eight pairs (its own function literal, see fde.js).
const isEqual = require('lodash.isequal');
const { pairs } = require('./data');

exports.make = () => () => {
  let n = 0;
  for (let i = 0; i < pairs.length; i++) if (isEqual(pairs[i][0], pairs[i][1])) n++;
  return n;
};
