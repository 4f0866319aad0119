// What the blueprint's program and its policy pack must agree on: the names and annotations the components
// write and the policies read, and how both read address ranges and image references. It lives inside the
// pack, which installs and runs on its own; the program imports it from here.
export * from "./admission-rules";
export * from "./cidr";
export * from "./flows";
export * from "./images";
export * from "./names";
export * from "./quantity";
export * from "./regexp";
export * from "./subnets";
export * from "./versions";
