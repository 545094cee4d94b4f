print("iccsim")
