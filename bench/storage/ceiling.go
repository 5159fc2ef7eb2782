package main

import "fmt"

// printCeiling prints the best ratio to Azurite any server could reach
// on an operation through its SDK, writing either server's answer: the
// row ceiling times the SDK on that answer with no server work (how says
// how it was answered).
func printCeiling(what, how, unit, row, ceiling string, az, fe *result) {
	azurite := az.values[row]
	if azurite == 0 || az.values[ceiling] == 0 || fe.values[ceiling] == 0 {
		return
	}
	fmt.Printf("%s cannot pass %.2fx for any server writing funcemu's answer, %.2fx writing Azurite's (Azurite %.1f %s; %s %.1f and %.1f %s)\n",
		what, fe.values[ceiling]/azurite, az.values[ceiling]/azurite, azurite, unit, how, fe.values[ceiling], az.values[ceiling], unit)
}
