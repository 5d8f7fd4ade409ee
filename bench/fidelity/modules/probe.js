// The global-access probe of issue 13: two global lookups and a small allocation per call.
const { probeInput } = require('./data');

exports.make = () => {
  const x = probeInput;
  return () => Array.isArray(x) && Object.keys(x).length;
};
