// JSON.parse of a ~1.4 kB document (a global lookup of JSON per call, then native code).
const { doc } = require('./data');

exports.make = () => () => JSON.parse(doc);
